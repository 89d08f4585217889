package io.nectar.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.nectar.index.Fixtures.ids;
import static io.nectar.index.Fixtures.randomEntries;
import static io.nectar.index.Fixtures.randomUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvictionTest {

    private static final int DIM = 32;

    private static List<SpaceContent> content(String tenant) {
        Random r = new Random(tenant.hashCode());
        return List.of(new SpaceContent("enc", DIM, randomEntries(r, 200, DIM, tenant + "-")));
    }

    @Test
    void leastRecentlyUsedTenantsAreEvictedAndReloadedOnDemand(@TempDir Path dir) throws Exception {
        long oneTenant;
        try (KnowledgeIndex probe = new KnowledgeIndex()) {
            probe.replaceAll("x", content("x"));
            oneTenant = probe.bytes("x");
        }
        // room for about three tenants
        IndexConfig config = IndexConfig.defaults().withSnapshots(dir, oneTenant * 3 + oneTenant / 2);
        AtomicInteger builds = new AtomicInteger();
        try (KnowledgeIndex index = new KnowledgeIndex(config)) {
            for (int i = 0; i < 6; i++) {
                String t = "shop" + i;
                index.open(t, "v1", () -> {
                    builds.incrementAndGet();
                    return content(t);
                }).get(30, TimeUnit.SECONDS);
                // every open makes this tenant the most recently used
                index.search(t, "enc", randomUnit(new Random(i), DIM), 1);
            }
            index.awaitQuiet(30_000);
            assertTrue(index.residentBytes() <= config.memoryBudgetBytes(),
                    index.residentBytes() + " > " + config.memoryBudgetBytes());
            assertTrue(index.isResident("shop5"), "the most recent tenant stays");
            assertFalse(index.isResident("shop0"), "the oldest tenant went first");
            assertTrue(index.evictions() >= 2);
            assertEquals(6, index.tenants().size(), "evicted tenants are still known");
            assertEquals(0, index.bytes("shop0"));
            assertThrows(TenantNotResidentException.class, () -> index.search("shop0", "enc", new float[DIM], 1));
            assertTrue(Files.exists(index.snapshotFile("shop0")));

            float[] q = content("shop0").get(0).entries().get(9).vector();
            index.ensureResident("shop0").get(30, TimeUnit.SECONDS);
            assertEquals("shop0-9", ids(index.search("shop0", "enc", q, 1)).get(0));
            assertEquals(200, index.size("shop0", "enc"));
            assertEquals(6, builds.get(), "reloaded from the snapshot, not rebuilt");
            index.awaitQuiet(30_000);
            assertTrue(index.isResident("shop0"), "just used: not the one evicted to make room");
            assertTrue(index.residentBytes() <= config.memoryBudgetBytes());
        }
    }

    @Test
    void editsSurviveEvictionAndReload(@TempDir Path dir) throws Exception {
        IndexConfig config = IndexConfig.defaults().withSnapshots(dir, 1); // evict everything but the latest
        try (KnowledgeIndex index = new KnowledgeIndex(config)) {
            index.open("a", "v1", () -> content("a")).get(30, TimeUnit.SECONDS);
            float[] v = randomUnit(new Random(99), DIM);
            index.upsert("a", "enc", new IndexEntry("edited", "t", EntryKind.FAQ, "en", "edited", v));
            assertTrue(index.remove("a", "enc", "a-3"));
            index.open("b", "v1", () -> content("b")).get(30, TimeUnit.SECONDS);
            index.search("b", "enc", v, 1);
            index.awaitQuiet(30_000);
            assertFalse(index.isResident("a"));

            // a write to an evicted tenant loads it first
            index.upsert("a", "enc", new IndexEntry("second", "t", EntryKind.FAQ, "en", "second", randomUnit(new Random(5), DIM)));
            assertEquals("edited", index.search("a", "enc", v, 1).get(0).entry().id());
            assertEquals(201, index.size("a", "enc"));
            assertFalse(ids(index.search("a", "enc", content("a").get(0).entries().get(3).vector(), 5)).contains("a-3"));
        }
    }

    @Test
    void aCorruptSnapshotFoundAtReloadIsRebuiltFromSource(@TempDir Path dir) throws Exception {
        IndexConfig config = IndexConfig.defaults().withSnapshots(dir, 1);
        AtomicInteger builds = new AtomicInteger();
        try (KnowledgeIndex index = new KnowledgeIndex(config)) {
            index.open("a", "v1", () -> {
                builds.incrementAndGet();
                return content("a");
            }).get(30, TimeUnit.SECONDS);
            index.open("b", "v1", () -> content("b")).get(30, TimeUnit.SECONDS);
            index.search("b", "enc", new float[DIM], 1);
            index.awaitQuiet(30_000);
            assertFalse(index.isResident("a"));
            Path file = index.snapshotFile("a");
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(raf.length() / 2);
            }
            index.ensureResident("a").get(30, TimeUnit.SECONDS);
            assertEquals(200, index.size("a", "enc"));
            assertEquals(2, builds.get());
            Snapshots.read(file, HnswParams.defaults()); // rewritten whole
        }
    }

    @Test
    void aBudgetNeedsASnapshotDirectory() {
        assertThrows(IllegalArgumentException.class, () -> IndexConfig.defaults().withSnapshots(null, 1000));
    }
}
