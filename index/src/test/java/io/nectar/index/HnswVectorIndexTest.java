package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.nectar.index.Fixtures.bruteForce;
import static io.nectar.index.Fixtures.ids;
import static io.nectar.index.Fixtures.randomEntries;
import static io.nectar.index.Fixtures.randomUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HnswVectorIndexTest {

    private static final HnswParams PARAMS = new HnswParams(16, 100, 64, 2);

    @Test
    void agreesWithExactSearchOnSmallData() {
        Random r = new Random(11);
        int dim = 32;
        List<IndexEntry> entries = randomEntries(r, 2000, dim, "e");
        HnswVectorIndex hnsw = HnswVectorIndex.build(dim, entries, PARAMS);
        ExactVectorIndex exact = ExactVectorIndex.of(dim, entries);
        int found = 0, total = 0, sameTop1 = 0;
        for (int i = 0; i < 100; i++) {
            float[] q = randomUnit(r, dim);
            List<String> truth = ids(exact.search(q, 10));
            assertEquals(bruteForce(entries, q, 10), truth);
            List<String> approx = ids(hnsw.search(q, 10));
            for (String id : approx) {
                if (truth.contains(id)) {
                    found++;
                }
            }
            total += truth.size();
            if (approx.get(0).equals(truth.get(0))) {
                sameTop1++;
            }
        }
        double recall = (double) found / total;
        assertTrue(recall >= 0.97, "recall@10 " + recall);
        assertTrue(sameTop1 >= 97, "same top-1 in " + sameTop1 + "/100");
    }

    @Test
    void scoresAreCosines() {
        Random r = new Random(5);
        List<IndexEntry> entries = randomEntries(r, 300, 16, "e");
        HnswVectorIndex hnsw = HnswVectorIndex.build(16, entries, PARAMS);
        IndexEntry target = entries.get(42);
        SearchHit top = hnsw.search(target.vector(), 1).get(0);
        assertEquals("e42", top.entry().id());
        assertEquals(1.0, top.score(), 1e-5);
        assertEquals(Fixtures.dot(entries.get(7).vector(), target.vector()), hnsw.score("e7", target.vector()), 1e-5);
    }

    @Test
    void updatesMoveAnEntryAndRemovesHideIt() {
        Random r = new Random(9);
        List<IndexEntry> entries = randomEntries(r, 500, 16, "e");
        HnswVectorIndex hnsw = HnswVectorIndex.build(16, entries, PARAMS);
        float[] elsewhere = randomUnit(r, 16);
        hnsw.upsert(new IndexEntry("e3", "t-e3", EntryKind.PRODUCT, "en", "moved", elsewhere));
        assertEquals(500, hnsw.size());
        assertEquals(1, hnsw.tombstones());
        SearchHit top = hnsw.search(elsewhere, 1).get(0);
        assertEquals("e3", top.entry().id());
        assertEquals("moved", top.entry().text());

        // same vector, new text: replaced in place, no tombstone
        hnsw.upsert(new IndexEntry("e3", "t-e3", EntryKind.PRODUCT, "en", "renamed", elsewhere));
        assertEquals(1, hnsw.tombstones());
        assertEquals("renamed", hnsw.search(elsewhere, 1).get(0).entry().text());

        assertTrue(hnsw.remove("e3"));
        assertFalse(hnsw.remove("e3"));
        assertNull(hnsw.get("e3"));
        assertFalse(ids(hnsw.search(elsewhere, 20)).contains("e3"));
        assertEquals(499, hnsw.size());

        // a removed id can come back
        hnsw.upsert(new IndexEntry("e3", "t-e3", EntryKind.PRODUCT, "en", "back", elsewhere));
        assertEquals("e3", hnsw.search(elsewhere, 1).get(0).entry().id());
    }

    @Test
    void aFullGraphRefusesNewNodes() {
        Random r = new Random(2);
        HnswVectorIndex hnsw = HnswVectorIndex.create(8, 10, PARAMS);
        List<IndexEntry> entries = new ArrayList<>(randomEntries(r, 10, 8, "e"));
        entries.forEach(hnsw::upsert);
        assertEquals(0, hnsw.slotsLeft());
        assertThrows(IllegalStateException.class, () -> hnsw.upsert(randomEntries(r, 1, 8, "x").get(0)));
        assertEquals(10, hnsw.size());
    }
}
