package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactVectorIndexTest {

    static float[] unit(float... v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= (float) Math.sqrt(s);
        }
        return out;
    }

    static IndexEntry entry(String id, float... v) {
        return new IndexEntry(id, "t-" + id, EntryKind.FAQ, "en", id, unit(v));
    }

    @Test
    void findsClosestFirst() {
        ExactVectorIndex index = ExactVectorIndex.of(2, List.of(entry("east", 1, 0), entry("north", 0, 1), entry("ne", 1, 1)));
        List<SearchHit> hits = index.search(unit(1, 0.1f), 2);
        assertEquals(List.of("east", "ne"), hits.stream().map(h -> h.entry().id()).toList());
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
        assertEquals(List.of("a"), index.search(unit(0, 1), 5).stream().map(h -> h.entry().id()).toList());
    }

    @Test
    void agreesWithBruteForceOnRandomData() {
        Random r = new Random(7);
        int dim = 16;
        List<IndexEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            float[] v = new float[dim];
            for (int d = 0; d < dim; d++) {
                v[d] = (float) r.nextGaussian();
            }
            entries.add(entry("e" + i, v));
        }
        ExactVectorIndex index = ExactVectorIndex.of(dim, entries);
        float[] q = new float[dim];
        for (int d = 0; d < dim; d++) {
            q[d] = (float) r.nextGaussian();
        }
        q = unit(q);
        float best = -2;
        String bestId = null;
        for (IndexEntry e : entries) {
            float s = 0;
            for (int d = 0; d < dim; d++) {
                s += e.vector()[d] * q[d];
            }
            if (s > best) {
                best = s;
                bestId = e.id();
            }
        }
        assertEquals(bestId, index.search(q, 1).get(0).entry().id());
    }

    @Test
    void rejectsWrongDimension() {
        ExactVectorIndex index = new ExactVectorIndex(3);
        assertThrows(IllegalArgumentException.class, () -> index.upsert(entry("x", 1, 0)));
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[2], 1));
    }
}
