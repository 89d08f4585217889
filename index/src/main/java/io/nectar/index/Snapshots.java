package io.nectar.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads and writes a tenant's snapshot file. Static and stateless; every method is <b>blocking file
 * work</b>: callers run it on an I/O executor, never an event loop.
 * <pre>
 * file    := magic "NECTARIX" | format u16 = 1 | reserved u16 | section* | end section
 * section := type u8 | length u64 | crc32c u32 | payload[length]
 *   META  (1): tenant, source version, created-at millis, space count
 *   EXACT (2): space name, dimension, entry count, entries (id, target, kind, lang, text, vector)
 *   HNSW  (3): space name, dimension, graph node count, hnswlib graph (its own format, entries inside)
 *   END (255): empty; a file without it was cut short
 * </pre>
 * Writing goes to a temporary file in the same directory, is forced to disk, then atomically renamed
 * over the old snapshot: a crash leaves the old file or the new one, never a mix. Reading checks every
 * section's CRC32C and the end marker before decoding anything, so a damaged file is reported as
 * {@link CorruptSnapshotException} and nothing of it is used.
 */
public final class Snapshots {

    static final byte[] MAGIC = "NECTARIX".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;
    private static final int META = 1, EXACT = 2, HNSW = 3, END = 255;
    private static final int SECTION_HEADER = 1 + 8 + 4;

    /** What a snapshot holds. */
    public record Image(String tenant, String sourceVersion, long createdAtMillis, List<SpaceImage> spaces) {
    }

    /** One space: its name and vector index (the lexical index is rebuilt from the entry texts). */
    public record SpaceImage(String name, VectorIndex vectors) {
    }

    private Snapshots() {
    }

    /** Writes the image atomically to {@code file}. Blocking; writes to each space must be paused. */
    public static void write(Path file, Image image) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tmp-" + file.getFileName(), ".part");
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(12);
            head.put(MAGIC).putShort((short) FORMAT).putShort((short) 0).flip();
            writeFully(ch, head);
            section(ch, META, out -> {
                EntryCodec.writeString(image.tenant(), out);
                EntryCodec.writeString(image.sourceVersion(), out);
                out.writeLong(image.createdAtMillis());
                out.writeInt(image.spaces().size());
            });
            for (SpaceImage s : image.spaces()) {
                if (s.vectors() instanceof HnswVectorIndex h) {
                    section(ch, HNSW, out -> {
                        EntryCodec.writeString(s.name(), out);
                        out.writeInt(h.dimension());
                        out.writeInt(h.nodes());
                        out.flush();
                        h.save(new NonClosing(out));
                    });
                } else {
                    List<IndexEntry> entries = s.vectors().entries();
                    section(ch, EXACT, out -> {
                        EntryCodec.writeString(s.name(), out);
                        out.writeInt(s.vectors().dimension());
                        out.writeInt(entries.size());
                        for (IndexEntry e : entries) {
                            EntryCodec.write(e, out);
                        }
                    });
                }
            }
            section(ch, END, out -> { });
            ch.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads a snapshot. Blocking.
     *
     * @param searchParams HNSW search settings for graphs read back (the graph keeps its own build settings)
     * @throws NoSuchFileException      when there is no such file
     * @throws CorruptSnapshotException when the file is damaged, truncated or of an unknown format
     */
    public static Image read(Path file, HnswParams searchParams) throws IOException {
        List<long[]> sections = verify(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            String tenant = null, source = null;
            long created = 0;
            int spaceCount = -1;
            List<SpaceImage> spaces = new ArrayList<>();
            for (long[] s : sections) {
                int type = (int) s[0];
                ch.position(s[1]);
                InputStream raw = new Bounded(Channels.newInputStream(ch), s[2]);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
                switch (type) {
                    case META -> {
                        tenant = EntryCodec.readString(in);
                        source = EntryCodec.readString(in);
                        created = in.readLong();
                        spaceCount = in.readInt();
                    }
                    case EXACT -> {
                        String name = EntryCodec.readString(in);
                        int dim = in.readInt();
                        int n = in.readInt();
                        if (n < 0 || dim < 1) {
                            throw new CorruptSnapshotException(file, "bad space header");
                        }
                        List<IndexEntry> entries = new ArrayList<>(Math.min(n, 1 << 20));
                        for (int i = 0; i < n; i++) {
                            entries.add(EntryCodec.read(in));
                        }
                        spaces.add(new SpaceImage(name, ExactVectorIndex.of(dim, entries)));
                    }
                    case HNSW -> {
                        String name = EntryCodec.readString(in);
                        int dim = in.readInt();
                        int nodes = in.readInt();
                        HnswVectorIndex h = HnswVectorIndex.load(in, nodes, searchParams);
                        if (h.dimension() != dim) {
                            throw new CorruptSnapshotException(file, "graph dimension " + h.dimension() + " != " + dim);
                        }
                        spaces.add(new SpaceImage(name, h));
                    }
                    case END -> {
                    }
                    default -> throw new CorruptSnapshotException(file, "unknown section type " + type);
                }
            }
            if (tenant == null || spaceCount != spaces.size()) {
                throw new CorruptSnapshotException(file, "expected " + spaceCount + " spaces, found " + spaces.size());
            }
            return new Image(tenant, source, created, spaces);
        } catch (CorruptSnapshotException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the checksums matched, yet it does not decode: written by an incompatible version
            throw new CorruptSnapshotException(file, "cannot decode: " + e, e);
        }
    }

    /** Checks magic, format, every section's checksum and the end marker; returns [type, offset, length] per section. */
    private static List<long[]> verify(Path file) throws IOException {
        List<long[]> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(12);
            if (size < 12 || readFully(ch, head) < 12) {
                throw new CorruptSnapshotException(file, "too short for a snapshot header");
            }
            head.flip();
            byte[] magic = new byte[MAGIC.length];
            head.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new CorruptSnapshotException(file, "not a Nectar index snapshot");
            }
            int format = head.getShort() & 0xffff;
            if (format != FORMAT) {
                throw new CorruptSnapshotException(file, "snapshot format " + format + ", this version reads " + FORMAT);
            }
            long pos = 12;
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
            ByteBuffer sh = ByteBuffer.allocate(SECTION_HEADER);
            boolean first = true;
            while (true) {
                if (pos + SECTION_HEADER > size) {
                    throw new CorruptSnapshotException(file, "truncated: no end marker");
                }
                sh.clear();
                ch.position(pos);
                readFully(ch, sh);
                sh.flip();
                int type = sh.get() & 0xff;
                long len = sh.getLong();
                int crc = sh.getInt();
                long start = pos + SECTION_HEADER;
                if (len < 0 || start + len > size) {
                    throw new CorruptSnapshotException(file, "truncated section at byte " + pos);
                }
                if (first && type != META) {
                    throw new CorruptSnapshotException(file, "first section is not the header");
                }
                first = false;
                CRC32C c = new CRC32C();
                ch.position(start);
                long left = len;
                while (left > 0) {
                    buf.clear();
                    if (left < buf.capacity()) {
                        buf.limit((int) left);
                    }
                    int r = ch.read(buf);
                    if (r < 0) {
                        throw new CorruptSnapshotException(file, "truncated section at byte " + pos);
                    }
                    buf.flip();
                    c.update(buf);
                    left -= r;
                }
                if ((int) c.getValue() != crc) {
                    throw new CorruptSnapshotException(file, "checksum mismatch in section at byte " + pos);
                }
                pos = start + len;
                if (type == END) {
                    if (pos != size) {
                        throw new CorruptSnapshotException(file, "data after the end marker");
                    }
                    return out;
                }
                out.add(new long[]{type, start, len});
            }
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void section(FileChannel ch, int type, Body body) throws IOException {
        long headerAt = ch.position();
        ch.position(headerAt + SECTION_HEADER);
        Crc crc = new Crc(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
        DataOutputStream out = new DataOutputStream(crc);
        body.write(out);
        out.flush();
        long end = ch.position();
        ByteBuffer sh = ByteBuffer.allocate(SECTION_HEADER);
        sh.put((byte) type).putLong(crc.count).putInt((int) crc.crc.getValue()).flip();
        ch.position(headerAt);
        writeFully(ch, sh);
        ch.position(end);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static int readFully(FileChannel ch, ByteBuffer b) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int r = ch.read(b);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    /** Counts and checksums what passes through. */
    private static final class Crc extends FilterOutputStream {
        final CRC32C crc = new CRC32C();
        long count;

        Crc(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush(); // the channel belongs to the caller
        }
    }

    /** Lets hnswlib close its ObjectOutputStream without closing ours. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** At most {@code limit} bytes of a stream; never closes it. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = in.read();
            if (r < 0) {
                throw new EOFException();
            }
            left--;
            return r;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r < 0) {
                throw new EOFException();
            }
            left -= r;
            return r;
        }

        @Override
        public void close() {
        }
    }
}
