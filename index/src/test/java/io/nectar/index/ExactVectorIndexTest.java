package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.nectar.index.Fixtures.bruteForce;
import static io.nectar.index.Fixtures.ids;
import static io.nectar.index.Fixtures.randomEntries;
import static io.nectar.index.Fixtures.randomUnit;
import static io.nectar.index.Fixtures.unit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactVectorIndexTest {

    static IndexEntry entry(String id, float... v) {
        return Fixtures.entry(id, id, v);
    }

    @Test
    void findsClosestFirst() {
        ExactVectorIndex index = ExactVectorIndex.of(2, List.of(entry("east", 1, 0), entry("north", 0, 1), entry("ne", 1, 1)));
        List<SearchHit> hits = index.search(unit(1, 0.1f), 2);
        assertEquals(List.of("east", "ne"), ids(hits));
        assertTrue(hits.get(0).score() > hits.get(1).score());
    }

    @Test
    void upsertReplacesAndRemoveDeletes() {
        ExactVectorIndex index = new ExactVectorIndex(2);
        index.upsert(entry("a", 1, 0));
        index.upsert(entry("b", 0, 1));
        index.upsert(entry("a", 0, 1)); // a moves north
        assertEquals(2, index.size());
        assertEquals(1.0, index.search(unit(0, 1), 2).get(1).score(), 1e-5);
        assertTrue(index.remove("b"));
        assertFalse(index.remove("b"));
        assertEquals(List.of("a"), ids(index.search(unit(0, 1), 5)));
    }

    @Test
    void removingFromTheMiddleKeepsEveryOtherEntryIntact() {
        Random r = new Random(3);
        List<IndexEntry> entries = randomEntries(r, 50, 8, "e");
        ExactVectorIndex index = ExactVectorIndex.of(8, entries);
        assertTrue(index.remove("e10"));
        assertNull(index.get("e10"));
        for (IndexEntry e : entries) {
            if (!e.id().equals("e10")) {
                assertArrayEquals(e.vector(), index.get(e.id()).vector(), e.id());
                assertEquals(e.text(), index.get(e.id()).text());
                assertEquals(1.0, index.score(e.id(), e.vector()), 1e-5);
            }
        }
        assertEquals(49, index.entries().size());
    }

    @Test
    void agreesWithBruteForceOnRandomData() {
        Random r = new Random(7);
        int dim = 16;
        List<IndexEntry> entries = randomEntries(r, 500, dim, "e");
        ExactVectorIndex index = ExactVectorIndex.of(dim, entries);
        for (int i = 0; i < 20; i++) {
            float[] q = randomUnit(r, dim);
            assertEquals(bruteForce(entries, q, 10), ids(index.search(q, 10)));
        }
    }

    @Test
    void rejectsWrongDimension() {
        ExactVectorIndex index = new ExactVectorIndex(3);
        assertThrows(IllegalArgumentException.class, () -> index.upsert(entry("x", 1, 0)));
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[2], 1));
    }

    @Test
    void reportsMoreBytesForMoreEntries() {
        Random r = new Random(1);
        ExactVectorIndex small = ExactVectorIndex.of(64, randomEntries(r, 10, 64, "s"));
        ExactVectorIndex large = ExactVectorIndex.of(64, randomEntries(r, 1000, 64, "l"));
        assertTrue(small.bytes() >= 10 * 64 * 4);
        assertTrue(large.bytes() >= 1000 * 64 * 4);
        assertTrue(large.bytes() > 50 * small.bytes());
    }
}
