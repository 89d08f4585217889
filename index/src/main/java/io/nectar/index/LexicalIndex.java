package io.nectar.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BM25 over the terms of entry texts ({@link Analyzer}), with live updates.
 * <p>
 * Threads: searches never lock. Writes must be serialised by the caller (the owning space does);
 * each posting list is an immutable array replaced whole, so a search sees every posting list either
 * before or after a write, and sees a write completely once the write returned.
 * <p>
 * Scores are normalised per query to 0..1: the BM25 score divided by the most the query's terms could
 * score ({@code idf × (k1 + 1)} each). So a document matching every rare query word scores near 1 and
 * one matching only common words near 0, comparably across queries (which a fusion with cosine
 * needs, unlike dividing by the best score of this query).
 */
final class LexicalIndex {

    /** One indexed text. Identity matters: posting lists point at these objects. */
    static final class Doc {
        final String entryId;
        final int length;
        final String[] terms;

        Doc(String entryId, int length, String[] terms) {
            this.entryId = entryId;
            this.length = length;
            this.terms = terms;
        }
    }

    /** Documents holding one term and how often. Immutable. */
    private record Postings(Doc[] docs, int[] tf, boolean identifier) {
    }

    /** A document's normalised score for one query, and whether it matched an identifier of it. */
    record Match(Doc doc, float score, boolean identifier) {
    }

    /** An analysed query: distinct terms. */
    record Query(String[] terms, boolean[] identifier) {
        static Query of(String text) {
            Map<String, Boolean> distinct = new LinkedHashMap<>();
            for (Analyzer.Term t : Analyzer.terms(text)) {
                distinct.merge(t.text(), t.identifier(), Boolean::logicalOr);
            }
            String[] terms = distinct.keySet().toArray(new String[0]);
            boolean[] id = new boolean[terms.length];
            for (int i = 0; i < terms.length; i++) {
                id[i] = distinct.get(terms[i]);
            }
            return new Query(terms, id);
        }

        boolean isEmpty() {
            return terms.length == 0;
        }

        boolean hasIdentifier() {
            for (boolean b : identifier) {
                if (b) {
                    return true;
                }
            }
            return false;
        }
    }

    private final float k1;
    private final float b;
    private final Map<String, Postings> postings = new ConcurrentHashMap<>();
    private final Map<String, Doc> docs = new ConcurrentHashMap<>();
    private volatile long totalLength;
    private volatile long bytes;

    LexicalIndex(float k1, float b) {
        this.k1 = k1;
        this.b = b;
    }

    /** Indexes (or re-indexes) the entry's text. Caller serialises writes. */
    void put(String entryId, String text) {
        remove(entryId);
        List<Analyzer.Term> terms = Analyzer.terms(text);
        Map<String, int[]> tf = new LinkedHashMap<>();
        Map<String, Boolean> ident = new HashMap<>();
        for (Analyzer.Term t : terms) {
            tf.computeIfAbsent(t.text(), k -> new int[1])[0]++;
            ident.merge(t.text(), t.identifier(), Boolean::logicalOr);
        }
        Doc doc = new Doc(entryId, terms.size(), tf.keySet().toArray(new String[0]));
        long added = 56 + MemoryEstimate.refs(doc.terms.length);
        for (Map.Entry<String, int[]> e : tf.entrySet()) {
            String term = e.getKey();
            int f = e.getValue()[0];
            boolean id = ident.get(term);
            Postings old = postings.get(term);
            Postings now;
            if (old == null) {
                now = new Postings(new Doc[]{doc}, new int[]{f}, id);
                added += 64 + MemoryEstimate.string(term) + 48;
            } else {
                Doc[] d = Arrays.copyOf(old.docs(), old.docs().length + 1);
                int[] t = Arrays.copyOf(old.tf(), old.tf().length + 1);
                d[d.length - 1] = doc;
                t[t.length - 1] = f;
                now = new Postings(d, t, old.identifier() || id);
            }
            added += 8;
            postings.put(term, now);
        }
        docs.put(entryId, doc);
        totalLength = totalLength + doc.length;
        bytes = bytes + added;
    }

    /** Forgets the entry; returns whether it was indexed. Caller serialises writes. */
    boolean remove(String entryId) {
        Doc doc = docs.remove(entryId);
        if (doc == null) {
            return false;
        }
        long freed = 56 + MemoryEstimate.refs(doc.terms.length);
        for (String term : doc.terms) {
            Postings old = postings.get(term);
            if (old == null) {
                continue;
            }
            int n = old.docs().length;
            if (n == 1) {
                postings.remove(term);
                freed += 64 + MemoryEstimate.string(term) + 48 + 8;
                continue;
            }
            Doc[] d = new Doc[n - 1];
            int[] t = new int[n - 1];
            int j = 0;
            for (int i = 0; i < n; i++) {
                if (old.docs()[i] != doc && j < n - 1) {
                    d[j] = old.docs()[i];
                    t[j++] = old.tf()[i];
                }
            }
            postings.put(term, new Postings(d, t, old.identifier()));
            freed += 8;
        }
        totalLength = totalLength - doc.length;
        bytes = bytes - freed;
        return true;
    }

    int size() {
        return docs.size();
    }

    long bytes() {
        return Math.max(0, bytes);
    }

    /**
     * Every document sharing a term with the query, with its normalised score; the best first, at most
     * {@code limit} (all when {@code limit <= 0}).
     */
    List<Match> search(Query q, int limit) {
        Map<Doc, float[]> acc = scores(q);
        List<Match> out = new ArrayList<>(acc.size());
        for (Map.Entry<Doc, float[]> e : acc.entrySet()) {
            out.add(new Match(e.getKey(), e.getValue()[0], e.getValue()[1] > 0));
        }
        out.sort((x, y) -> Float.compare(y.score(), x.score()));
        return limit > 0 && out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** Normalised score per matching document: {@code [score, identifierMatched ? 1 : 0]}. */
    Map<Doc, float[]> scores(Query q) {
        Map<Doc, float[]> acc = new IdentityHashMap<>();
        if (q.isEmpty()) {
            return acc;
        }
        int n = Math.max(1, docs.size());
        float avgdl = Math.max(1f, (float) totalLength / n);
        float max = 0;
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < q.terms().length; i++) {
            String term = q.terms()[i];
            if (!seen.add(term)) {
                continue;
            }
            Postings p = postings.get(term);
            int df = p == null ? 0 : p.docs().length;
            float idf = idf(n, df);
            max += idf * (k1 + 1);
            if (p == null) {
                continue;
            }
            boolean id = q.identifier()[i] && p.identifier();
            for (int j = 0; j < p.docs().length; j++) {
                Doc d = p.docs()[j];
                float f = p.tf()[j];
                float s = idf * f * (k1 + 1) / (f + k1 * (1 - b + b * d.length / avgdl));
                float[] a = acc.computeIfAbsent(d, x -> new float[2]);
                a[0] += s;
                if (id) {
                    a[1] = 1;
                }
            }
        }
        if (max > 0) {
            for (float[] a : acc.values()) {
                a[0] = Math.min(1f, a[0] / max);
            }
        }
        return acc;
    }

    Doc doc(String entryId) {
        return docs.get(entryId);
    }

    private static float idf(int n, int df) {
        return (float) Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }
}
