package io.nectar.index;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Binary form of an {@link IndexEntry} in snapshots. Stateless; any thread. */
final class EntryCodec {

    /** Longest string field accepted when reading (a corrupt length must not allocate gigabytes). */
    private static final int MAX_STRING_BYTES = 1 << 20;
    private static final int MAX_DIMENSION = 1 << 16;
    private static final EntryKind[] KINDS = EntryKind.values();

    private EntryCodec() {
    }

    static void write(IndexEntry e, DataOutput out) throws IOException {
        writeString(e.id(), out);
        writeString(e.target(), out);
        out.writeByte(e.kind().ordinal());
        writeString(e.lang(), out);
        writeString(e.text(), out);
        float[] v = e.vector();
        out.writeInt(v.length);
        ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.BIG_ENDIAN);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
    }

    static IndexEntry read(DataInput in) throws IOException {
        String id = readString(in);
        String target = readString(in);
        int kind = in.readUnsignedByte();
        if (kind >= KINDS.length) {
            throw new IOException("bad entry kind " + kind);
        }
        String lang = readString(in);
        String text = readString(in);
        int dim = in.readInt();
        if (dim < 1 || dim > MAX_DIMENSION) {
            throw new IOException("bad vector length " + dim);
        }
        byte[] bytes = new byte[4 * dim];
        in.readFully(bytes);
        float[] v = new float[dim];
        ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(v);
        if (id == null || target == null) {
            throw new IOException("entry without id or target");
        }
        return new IndexEntry(id, target, KINDS[kind], lang, text, v);
    }

    static void writeString(String s, DataOutput out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInput in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > MAX_STRING_BYTES) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
