package io.nectar.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small vector fixtures for index tests. */
final class Fixtures {

    private Fixtures() {
    }

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

    static float[] randomUnit(Random r, int dim) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = (float) r.nextGaussian();
        }
        return unit(v);
    }

    static IndexEntry entry(String id, String text, float... v) {
        return new IndexEntry(id, "t-" + id, EntryKind.FAQ, "en", text, unit(v));
    }

    static List<IndexEntry> randomEntries(Random r, int n, int dim, String prefix) {
        List<IndexEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new IndexEntry(prefix + i, "t-" + prefix + i, EntryKind.PRODUCT, "en", "item " + prefix + i, randomUnit(r, dim)));
        }
        return out;
    }

    static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(h -> h.entry().id()).toList();
    }

    /** Exact top-k ids by brute force, independent of the index code. */
    static List<String> bruteForce(List<IndexEntry> entries, float[] q, int k) {
        List<IndexEntry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Double.compare(dot(b.vector(), q), dot(a.vector(), q)));
        return sorted.subList(0, Math.min(k, sorted.size())).stream().map(IndexEntry::id).toList();
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
