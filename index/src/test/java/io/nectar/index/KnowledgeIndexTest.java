package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.nectar.index.Fixtures.entry;
import static io.nectar.index.Fixtures.ids;
import static io.nectar.index.Fixtures.randomEntries;
import static io.nectar.index.Fixtures.randomUnit;
import static io.nectar.index.Fixtures.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnowledgeIndexTest {

    @Test
    void tenantsNeverSeeEachOthersEntries() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replace("shop-a", "enc", 2, List.of(entry("a1", "red shoes SH-1001", 1, 0)));
            index.replace("shop-b", "enc", 2, List.of(entry("b1", "red shoes SH-1001", 1, 0.01f), entry("b2", "blue hat", 0, 1)));
            for (Ranking r : Ranking.values()) {
                List<SearchHit> a = index.search("shop-a", "enc", unit(1, 0), "red shoes SH-1001", 10, r);
                assertEquals(List.of("a1"), ids(a), r.name());
            }
            assertTrue(index.search("shop-c", "enc", unit(1, 0), 10).isEmpty());
            assertTrue(index.search("shop-a", "other", unit(1, 0), 10).isEmpty());
            index.dropTenant("shop-b");
            assertTrue(index.search("shop-b", "enc", unit(1, 0), "blue hat", 10).isEmpty());
            assertEquals(1, index.size("shop-a", "enc"));
        }
    }

    @Test
    void tenantsNeverSeeEachOthersEntriesInLargeGraphs() {
        IndexConfig config = IndexConfig.defaults().withExactThreshold(100).withHnsw(new HnswParams(8, 50, 50, 2));
        try (KnowledgeIndex index = new KnowledgeIndex(config)) {
            Random r = new Random(4);
            index.replace("a", "enc", 16, randomEntries(r, 500, 16, "a"));
            index.replace("b", "enc", 16, randomEntries(r, 500, 16, "b"));
            assertEquals("hnsw", index.spaceKind("a", "enc"));
            for (int i = 0; i < 50; i++) {
                float[] q = randomUnit(r, 16);
                assertTrue(ids(index.search("a", "enc", q, 20)).stream().allMatch(id -> id.startsWith("a")));
                assertTrue(ids(index.search("b", "enc", q, "item b3 item a3", 20)).stream().allMatch(id -> id.startsWith("b")));
            }
        }
    }

    @Test
    void scoreIsTheExactCosineOfOneOfTheTenantsOwnEntries() {
        IndexConfig config = IndexConfig.defaults().withExactThreshold(100).withHnsw(new HnswParams(8, 50, 50, 2));
        try (KnowledgeIndex index = new KnowledgeIndex(config)) {
            Random r = new Random(7);
            List<IndexEntry> a = randomEntries(r, 300, 16, "a");
            index.replace("a", "enc", 16, a);
            index.replace("b", "enc", 2, List.of(entry("b1", "blue hat", 0, 1)));
            assertEquals("hnsw", index.spaceKind("a", "enc"));
            float[] q = randomUnit(r, 16);
            for (IndexEntry e : a.subList(0, 20)) {
                float expected = 0;
                for (int d = 0; d < 16; d++) {
                    expected += q[d] * e.vector()[d];
                }
                assertEquals(expected, index.score("a", "enc", e.id(), q), 1e-5f, e.id());
            }
            assertTrue(Float.isNaN(index.score("a", "enc", "b1", q)), "another tenant's entry");
            assertTrue(Float.isNaN(index.score("b", "enc", a.get(0).id(), unit(1, 0))), "another tenant's entry");
            assertTrue(Float.isNaN(index.score("c", "enc", a.get(0).id(), q)), "unknown tenant");
            assertTrue(Float.isNaN(index.score("a", "other", a.get(0).id(), q)), "unknown space");
        }
    }

    @Test
    void upsertIsVisibleToTheNextSearch() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.upsert("shop", "enc", entry("x", "x", 1, 0));
            assertEquals("x", index.search("shop", "enc", unit(1, 0), 1).get(0).entry().id());
            assertTrue(index.remove("shop", "enc", "x"));
            assertTrue(index.search("shop", "enc", unit(1, 0), 1).isEmpty());
            assertTrue(index.search("shop", "enc", unit(1, 0), "x", 1).isEmpty());
        }
    }

    /**
     * Writers add, move and delete entries while readers search without pause. Every write must be
     * visible to every search that starts after it returned, in exact and in HNSW spaces, including
     * across the background switch from exact to HNSW that the growth triggers.
     */
    @Test
    void writesAreVisibleToConcurrentSearches() throws Exception {
        IndexConfig config = IndexConfig.defaults().withExactThreshold(300).withHnsw(new HnswParams(8, 40, 64, 1));
        int dim = 16;
        try (KnowledgeIndex index = new KnowledgeIndex(config)) {
            Random r = new Random(21);
            index.replace("shop", "enc", dim, randomEntries(r, 250, dim, "base"));
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger searches = new AtomicInteger();
            // published after each write returns: the id that must (or must not) be found, and its vector
            record Expectation(String id, float[] vector, boolean present) {
            }
            java.util.concurrent.atomic.AtomicReference<Expectation> last = new java.util.concurrent.atomic.AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> {
                    Random rr = new Random();
                    while (!stop.get()) {
                        Expectation e = last.get();
                        try {
                            if (e != null) {
                                List<String> found = ids(index.search("shop", "enc", e.vector(), "", 5, Ranking.HYBRID));
                                if (e.present() && !found.contains(e.id())) {
                                    failures.add("missing " + e.id());
                                }
                                if (!e.present() && found.contains(e.id())) {
                                    failures.add("deleted but found " + e.id());
                                }
                            }
                            index.search("shop", "enc", randomUnit(rr, dim), 10);
                            searches.incrementAndGet();
                        } catch (RuntimeException ex) {
                            failures.add(ex.toString());
                        }
                    }
                }, "reader-" + t);
                th.start();
                readers.add(th);
            }
            for (int i = 0; i < 400; i++) {
                String id = "live" + (i % 150);
                float[] v = randomUnit(r, dim);
                if (i % 5 == 4) {
                    index.remove("shop", "enc", id);
                    last.set(new Expectation(id, v, false));
                } else {
                    index.upsert("shop", "enc", new IndexEntry(id, "t", EntryKind.PRODUCT, "en", "live item", v));
                    last.set(new Expectation(id, v, true));
                }
                Thread.sleep(1);
            }
            index.awaitQuiet(60_000);
            stop.set(true);
            for (Thread th : readers) {
                th.join();
            }
            assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.peek());
            assertTrue(searches.get() > 100, "readers ran " + searches.get() + " searches");
            assertEquals("hnsw", index.spaceKind("shop", "enc"), "grew past the exact threshold");
            int expectedLive = 250 + 150 - (int) java.util.stream.IntStream.range(250, 400).filter(i -> i % 5 == 4).count();
            assertEquals(expectedLive, index.size("shop", "enc"));
        }
    }

    @Test
    void replaceAllSwapsEverySpaceAtOnce() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replaceAll("shop", List.of(new SpaceContent("zh", 2, List.of(entry("z1", "发货", 1, 0))),
                    new SpaceContent("en", 2, List.of(entry("e1", "ship", 0, 1)))));
            index.replaceAll("shop", List.of(new SpaceContent("en", 2, List.of(entry("e2", "ship fast", 0, 1)))));
            assertEquals(0, index.size("shop", "zh"));
            assertEquals(List.of("e2"), ids(index.search("shop", "en", unit(0, 1), 5)));
        }
    }

    @Test
    void reportsBytesPerTenant() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            Random r = new Random(1);
            index.replace("small", "enc", 64, randomEntries(r, 10, 64, "s"));
            index.replace("large", "enc", 64, randomEntries(r, 1000, 64, "l"));
            assertTrue(index.bytes("large") > 50 * index.bytes("small"));
            assertEquals(index.bytes("small") + index.bytes("large"), index.residentBytes());
            assertEquals(0, index.bytes("nobody"));
        }
    }

    @Test
    void searchRejectsAVectorOfTheWrongDimension() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replace("shop", "enc", 2, List.of(entry("a", "a", 1, 0)));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> index.search("shop", "enc", new float[3], 1));
        }
    }

    static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(30, TimeUnit.SECONDS));
    }

    static void assertNotResident(KnowledgeIndex index, String tenant) {
        assertFalse(index.isResident(tenant), tenant + " should be evicted");
    }
}
