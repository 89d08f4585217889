package io.nectar.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.nectar.index.Fixtures.ids;
import static io.nectar.index.Fixtures.randomEntries;
import static io.nectar.index.Fixtures.randomUnit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotTest {

    private static final int DIM = 16;
    private static final HnswParams HNSW = new HnswParams(8, 40, 64, 1);

    private static IndexConfig config(Path dir) {
        return IndexConfig.defaults().withExactThreshold(200).withHnsw(HNSW).withSnapshots(dir, 0);
    }

    /** A source that counts how often it is asked to build. */
    private static final class CountingSource implements TenantSource {
        final AtomicInteger builds = new AtomicInteger();
        final List<SpaceContent> content;

        CountingSource(List<SpaceContent> content) {
            this.content = content;
        }

        @Override
        public List<SpaceContent> build() {
            builds.incrementAndGet();
            return content;
        }
    }

    private static List<SpaceContent> content(long seed) {
        Random r = new Random(seed);
        return List.of(new SpaceContent("small", DIM, randomEntries(r, 50, DIM, "s")),
                new SpaceContent("large", DIM, randomEntries(r, 600, DIM, "l")));
    }

    private static OpenResult open(KnowledgeIndex index, String tenant, String version, TenantSource source) throws Exception {
        return index.open(tenant, version, source).get(60, TimeUnit.SECONDS);
    }

    @Test
    void aSnapshotRoundTripsExactAndGraphSpaces(@TempDir Path dir) throws Exception {
        CountingSource source = new CountingSource(content(1));
        Random r = new Random(2);
        List<float[]> queries = java.util.stream.Stream.generate(() -> randomUnit(r, DIM)).limit(20).toList();
        List<List<String>> before = new java.util.ArrayList<>();
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            assertEquals(OpenResult.Outcome.REBUILT_MISSING, open(index, "shop", "v1", source).outcome());
            assertEquals("hnsw", index.spaceKind("shop", "large"));
            assertEquals("exact", index.spaceKind("shop", "small"));
            for (float[] q : queries) {
                before.add(ids(index.search("shop", "large", q, "item l5", 10)));
                before.add(ids(index.search("shop", "small", q, 10)));
            }
        }
        assertTrue(Files.exists(dir.resolve("shop.nidx")));
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            OpenResult r2 = open(index, "shop", "v1", source);
            assertEquals(OpenResult.Outcome.SNAPSHOT, r2.outcome());
            assertEquals(650, r2.entries());
            assertEquals(1, source.builds.get(), "loaded, not rebuilt");
            assertEquals("hnsw", index.spaceKind("shop", "large"));
            int i = 0;
            for (float[] q : queries) {
                assertEquals(before.get(i++), ids(index.search("shop", "large", q, "item l5", 10)));
                assertEquals(before.get(i++), ids(index.search("shop", "small", q, 10)));
            }
            IndexEntry original = content(1).get(1).entries().get(17);
            IndexEntry loaded = index.search("shop", "large", original.vector(), 1).get(0).entry();
            assertEquals(original.id(), loaded.id());
            assertEquals(original.text(), loaded.text());
            assertEquals(original.kind(), loaded.kind());
            assertArrayEquals(original.vector(), loaded.vector());
            // a loaded graph takes live updates
            float[] v = randomUnit(r, DIM);
            index.upsert("shop", "large", new IndexEntry("new", "t", EntryKind.PRODUCT, "en", "new", v));
            assertEquals("new", index.search("shop", "large", v, 1).get(0).entry().id());
        }
    }

    @Test
    void aStaleSnapshotIsRebuilt(@TempDir Path dir) throws Exception {
        CountingSource source = new CountingSource(content(1));
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            open(index, "shop", "v1", source);
        }
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            assertEquals(OpenResult.Outcome.REBUILT_STALE, open(index, "shop", "v2", source).outcome());
            assertEquals(2, source.builds.get());
        }
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            assertEquals(OpenResult.Outcome.SNAPSHOT, open(index, "shop", "v2", source).outcome());
        }
    }

    @Test
    void aFlippedByteAnywhereIsDetectedAndRebuiltFromSource(@TempDir Path dir) throws Exception {
        CountingSource source = new CountingSource(content(3));
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            open(index, "shop", "v1", source);
        }
        Path file = dir.resolve("shop.nidx");
        long size = Files.size(file);
        Random r = new Random(5);
        // header, early, middle (inside the graph) and last bytes
        long[] offsets = {9, 30, size / 2, size - 2, 13 + r.nextInt((int) (size - 20))};
        byte[] pristine = Files.readAllBytes(file);
        for (long off : offsets) {
            Files.write(file, pristine);
            flip(file, off);
            assertThrows(CorruptSnapshotException.class, () -> Snapshots.read(file, HNSW), "byte " + off);
            try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
                OpenResult res = open(index, "shop", "v1", source);
                assertEquals(OpenResult.Outcome.REBUILT_CORRUPT, res.outcome(), "byte " + off);
                assertEquals(650, res.entries());
                assertEquals(650, index.size("shop", "large") + index.size("shop", "small"));
            }
            // the rebuild rewrote a good snapshot
            Snapshots.read(file, HNSW);
        }
        assertEquals(1 + offsets.length, source.builds.get());
    }

    @Test
    void aTruncatedSnapshotIsDetected(@TempDir Path dir) throws Exception {
        CountingSource source = new CountingSource(content(4));
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            open(index, "shop", "v1", source);
        }
        Path file = dir.resolve("shop.nidx");
        byte[] pristine = Files.readAllBytes(file);
        for (int cut : new int[]{0, 5, 12, 40, pristine.length / 3, pristine.length - 1}) {
            Files.write(file, java.util.Arrays.copyOf(pristine, cut));
            CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, () -> Snapshots.read(file, HNSW));
            assertTrue(e.getMessage().contains("shop.nidx"));
        }
        Files.write(file, pristine);
        Files.write(file, new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertThrows(CorruptSnapshotException.class, () -> Snapshots.read(file, HNSW), "trailing garbage");
        assertThrows(NoSuchFileException.class, () -> Snapshots.read(dir.resolve("none.nidx"), HNSW));
    }

    @Test
    void aFailedWriteLeavesTheOldSnapshot(@TempDir Path dir) throws Exception {
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            open(index, "shop", "v1", new CountingSource(content(6)));
        }
        Path file = dir.resolve("shop.nidx");
        byte[] before = Files.readAllBytes(file);
        VectorIndex broken = failingIndex();
        assertThrows(RuntimeException.class, () -> Snapshots.write(file,
                new Snapshots.Image("shop", "v2", 0, List.of(new Snapshots.SpaceImage("x", broken)))));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void tenantNamesThatAreNotPlainFileNamesAreEncoded(@TempDir Path dir) throws Exception {
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            open(index, "../evil/shop", "v1", new CountingSource(content(7)));
            Path f = index.snapshotFile("../evil/shop");
            assertEquals(dir, f.getParent());
            assertTrue(Files.exists(f));
            assertFalse(f.getFileName().toString().contains("/"));
        }
    }

    @Test
    void aSourceThatFailsFailsTheOpen(@TempDir Path dir) {
        try (KnowledgeIndex index = new KnowledgeIndex(config(dir))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> open(index, "shop", "v1", () -> {
                throw new java.io.IOException("store file unreadable");
            }));
            assertTrue(e.getCause().getMessage().contains("store file unreadable"));
            assertEquals(0, index.size("shop", "small"));
        }
    }

    private static VectorIndex failingIndex() {
        return new VectorIndex() {
            public int dimension() { return DIM; }
            public void upsert(IndexEntry entry) { }
            public boolean remove(String id) { return false; }
            public List<SearchHit> search(float[] query, int k) { return List.of(); }
            public IndexEntry get(String id) { return null; }
            public float score(String id, float[] query) { return Float.NaN; }
            public List<IndexEntry> entries() { throw new IllegalStateException("disk on fire"); }
            public int size() { return 0; }
            public long bytes() { return 0; }
        };
    }

    private static void flip(Path file, long offset) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x40);
        }
    }
}
