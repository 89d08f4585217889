package io.nectar.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BM25 over the terms of entry texts ({@link Analyzer}), with live updates.
 * <p>
 * Threads: searches never lock. Writes must be serialised by the caller (the owning space does);
 * each posting list is an immutable array replaced whole, so a search sees every posting list either
 * before or after a write, and sees a write completely once the write returned. A bulk build
 * ({@link #build}) creates every posting list in one pass; live writes copy the lists of the terms they
 * touch.
 * <p>
 * Scores are normalised per query to 0..1: the BM25 score divided by the most the query's terms could
 * score ({@code idf × (k1 + 1)} each). So a document matching every rare query word scores near 1 and
 * one matching only common words near 0, comparably across queries (which a fusion with cosine
 * needs, unlike dividing by the best score of this query). In large indices, terms in more than
 * {@code max(5000, N/10)} documents (Chinese function characters, "the") still count in that maximum but
 * are not accumulated: they would cost a pass over a large part of the index for a few hundredths of score.
 */
final class LexicalIndex {

    /** One indexed text. Posting lists point at these objects; the ordinal indexes search scratch arrays. */
    static final class Doc {
        final String entryId;
        final int length;
        final String[] terms;
        final int ordinal;

        Doc(String entryId, int length, String[] terms, int ordinal) {
            this.entryId = entryId;
            this.length = length;
            this.terms = terms;
            this.ordinal = ordinal;
        }
    }

    /**
     * Documents holding one term: their ordinals, term frequencies and lengths in parallel arrays, so
     * scoring reads memory sequentially instead of following a pointer per posting. Immutable.
     */
    private record Postings(int[] ords, int[] tf, int[] len, boolean identifier) {
        int df() {
            return ords.length;
        }
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
    }

    /**
     * The scores of one search, valid on the searching thread until its next search of any lexical
     * index (they live in per-thread scratch arrays).
     */
    final class Result {
        private final Scratch s;
        private final List<Match> top;

        private Result(Scratch s, List<Match> top) {
            this.s = s;
            this.top = top;
        }

        /** The best matches, best first. */
        List<Match> top() {
            return top;
        }

        /** The entry's match, or null if it shares no (accumulated) term with the query. */
        Match match(String entryId) {
            Doc d = docs.get(entryId);
            if (d == null || d.ordinal >= s.scores.length || s.marks[d.ordinal] == 0) {
                return null;
            }
            return new Match(d, s.scores[d.ordinal], s.marks[d.ordinal] == 2);
        }
    }

    /** Per-thread accumulators indexed by document ordinal; marks: 0 untouched, 1 touched, 2 identifier matched. */
    private static final class Scratch {
        float[] scores = new float[0];
        byte[] marks = new byte[0];
        int[] touched = new int[0];
        int count;
        LexicalIndex owner;

        void ensure(int n) {
            if (scores.length < n) {
                int cap = Math.max(n, scores.length * 2);
                scores = new float[cap];
                marks = new byte[cap];
                touched = new int[cap];
            }
        }

        void reset() {
            for (int i = 0; i < count; i++) {
                int o = touched[i];
                scores[o] = 0;
                marks[o] = 0;
            }
            count = 0;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final float k1;
    private final float b;
    private final Map<String, Postings> postings = new ConcurrentHashMap<>();
    private final Map<String, Doc> docs = new ConcurrentHashMap<>();
    /** Doc by ordinal; grown by writers and republished, read by searches after their posting lists. */
    private volatile Doc[] byOrdinal = new Doc[16];
    private volatile int nextOrdinal;
    private volatile long totalLength;
    private volatile long bytes;

    LexicalIndex(float k1, float b) {
        this.k1 = k1;
        this.b = b;
    }

    /** An index of these entries' texts, built in one pass (later ids replace earlier ones). */
    static LexicalIndex build(float k1, float b, Collection<IndexEntry> entries) {
        LexicalIndex index = new LexicalIndex(k1, b);
        Map<String, IndexEntry> byId = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            byId.put(e.id(), e);
        }
        Map<String, List<Integer>> docLists = new HashMap<>();
        List<Doc> all = new ArrayList<>(byId.size());
        Map<String, List<Integer>> tfLists = new HashMap<>();
        Map<String, Boolean> identifiers = new HashMap<>();
        long total = 0, bytes = 0;
        int ordinal = 0;
        for (IndexEntry e : byId.values()) {
            Analyzed a = analyse(e.text());
            Doc doc = new Doc(e.id(), a.length, a.tf.keySet().toArray(new String[0]), ordinal++);
            for (Map.Entry<String, int[]> t : a.tf.entrySet()) {
                docLists.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(doc.ordinal);
                tfLists.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(t.getValue()[0]);
                identifiers.merge(t.getKey(), a.identifier.get(t.getKey()), Boolean::logicalOr);
            }
            index.docs.put(e.id(), doc);
            all.add(doc);
            total += doc.length;
            bytes += docBytes(doc);
        }
        Doc[] table = all.toArray(new Doc[Math.max(16, all.size())]);
        for (Map.Entry<String, List<Integer>> t : docLists.entrySet()) {
            List<Integer> tfs = tfLists.get(t.getKey());
            List<Integer> ords = t.getValue();
            int[] tf = new int[tfs.size()];
            int[] ord = new int[tf.length];
            int[] len = new int[tf.length];
            for (int i = 0; i < tf.length; i++) {
                tf[i] = tfs.get(i);
                ord[i] = ords.get(i);
                len[i] = table[ord[i]].length;
            }
            index.postings.put(t.getKey(), new Postings(ord, tf, len, identifiers.get(t.getKey())));
            bytes += termBytes(t.getKey()) + 12L * tf.length;
        }
        index.byOrdinal = table;
        index.nextOrdinal = ordinal;
        index.totalLength = total;
        index.bytes = bytes;
        return index;
    }

    private record Analyzed(int length, Map<String, int[]> tf, Map<String, Boolean> identifier) {
    }

    private static Analyzed analyse(String text) {
        List<Analyzer.Term> terms = Analyzer.terms(text);
        Map<String, int[]> tf = new LinkedHashMap<>();
        Map<String, Boolean> ident = new HashMap<>();
        for (Analyzer.Term t : terms) {
            tf.computeIfAbsent(t.text(), k -> new int[1])[0]++;
            ident.merge(t.text(), t.identifier(), Boolean::logicalOr);
        }
        return new Analyzed(terms.size(), tf, ident);
    }

    private static long docBytes(Doc d) {
        return 64 + MemoryEstimate.refs(d.terms.length);
    }

    private static long termBytes(String term) {
        return 64 + MemoryEstimate.string(term) + 48;
    }

    /** Indexes (or re-indexes) the entry's text. Caller serialises writes. */
    void put(String entryId, String text) {
        remove(entryId);
        Analyzed a = analyse(text);
        Doc doc = new Doc(entryId, a.length, a.tf.keySet().toArray(new String[0]), nextOrdinal);
        Doc[] table = byOrdinal;
        if (doc.ordinal >= table.length) {
            table = Arrays.copyOf(table, Math.max(16, table.length * 2));
        }
        table[doc.ordinal] = doc;
        byOrdinal = table; // published before any posting list names the ordinal
        long added = docBytes(doc);
        for (Map.Entry<String, int[]> e : a.tf.entrySet()) {
            String term = e.getKey();
            int f = e.getValue()[0];
            boolean id = a.identifier.get(term);
            Postings old = postings.get(term);
            Postings now;
            if (old == null) {
                now = new Postings(new int[]{doc.ordinal}, new int[]{f}, new int[]{doc.length}, id);
                added += termBytes(term);
            } else {
                int n = old.df();
                int[] o = Arrays.copyOf(old.ords(), n + 1);
                int[] t = Arrays.copyOf(old.tf(), n + 1);
                int[] l = Arrays.copyOf(old.len(), n + 1);
                o[n] = doc.ordinal;
                t[n] = f;
                l[n] = doc.length;
                now = new Postings(o, t, l, old.identifier() || id);
            }
            added += 12;
            postings.put(term, now);
        }
        docs.put(entryId, doc);
        nextOrdinal = doc.ordinal + 1;
        totalLength = totalLength + doc.length;
        bytes = bytes + added;
    }

    /** Forgets the entry; returns whether it was indexed. Caller serialises writes. */
    boolean remove(String entryId) {
        Doc doc = docs.remove(entryId);
        if (doc == null) {
            return false;
        }
        long freed = docBytes(doc);
        for (String term : doc.terms) {
            Postings old = postings.get(term);
            if (old == null) {
                continue;
            }
            int n = old.df();
            if (n == 1) {
                postings.remove(term);
                freed += termBytes(term) + 12;
                continue;
            }
            int[] o = new int[n - 1];
            int[] t = new int[n - 1];
            int[] l = new int[n - 1];
            int j = 0;
            for (int i = 0; i < n; i++) {
                if (old.ords()[i] != doc.ordinal && j < n - 1) {
                    o[j] = old.ords()[i];
                    t[j] = old.tf()[i];
                    l[j++] = old.len()[i];
                }
            }
            postings.put(term, new Postings(o, t, l, old.identifier()));
            freed += 12;
        }
        byOrdinal[doc.ordinal] = null; // no posting list names it any more
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

    /** Scores every document sharing a term with the query; {@link Result#top()} holds the best {@code limit}. */
    Result search(Query q, int limit) {
        Scratch s = SCRATCH.get();
        s.reset();
        s.owner = this;
        int ordinals = nextOrdinal;
        s.ensure(ordinals + 1);
        if (q.isEmpty()) {
            return new Result(s, List.of());
        }
        int n = Math.max(1, docs.size());
        int dfCap = Math.max(5000, n / 10);
        float avgdl = Math.max(1f, (float) totalLength / n);
        float max = 0;
        for (int i = 0; i < q.terms().length; i++) {
            Postings p = postings.get(q.terms()[i]);
            int df = p == null ? 0 : p.df();
            float idf = idf(n, df);
            max += idf * (k1 + 1);
            if (p == null || df > dfCap) {
                continue;
            }
            boolean id = q.identifier()[i] && p.identifier();
            int[] pords = p.ords();
            int[] ptf = p.tf();
            int[] plen = p.len();
            float lenNorm = k1 * b / avgdl;
            float base = k1 * (1 - b);
            float w = idf * (k1 + 1);
            for (int j = 0; j < pords.length; j++) {
                int o = pords[j];
                if (o >= s.scores.length) {
                    continue; // added after this search sized its arrays
                }
                float f = ptf[j];
                if (s.marks[o] == 0) {
                    s.marks[o] = 1;
                    s.touched[s.count++] = o;
                }
                s.scores[o] += w * f / (f + base + lenNorm * plen[j]);
                if (id) {
                    s.marks[o] = 2;
                }
            }
        }
        float norm = max > 0 ? 1f / max : 0f;
        for (int i = 0; i < s.count; i++) {
            int o = s.touched[i];
            s.scores[o] = Math.min(1f, s.scores[o] * norm);
        }
        return new Result(s, top(s, limit, byOrdinal));
    }

    /** The best {@code limit} touched documents (all when limit <= 0), best first. */
    private static List<Match> top(Scratch s, int limit, Doc[] table) {
        int k = limit <= 0 ? s.count : Math.min(limit, s.count);
        if (k == 0) {
            return List.of();
        }
        // bounded min-heap of ordinals by score
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < s.count; i++) {
            int o = s.touched[i];
            float sc = s.scores[o];
            if (size < k) {
                heap[size] = o;
                int c = size++;
                while (c > 0) {
                    int p = (c - 1) >>> 1;
                    if (s.scores[heap[p]] <= s.scores[heap[c]]) {
                        break;
                    }
                    int t = heap[p];
                    heap[p] = heap[c];
                    heap[c] = t;
                    c = p;
                }
            } else if (sc > s.scores[heap[0]]) {
                heap[0] = o;
                int c = 0;
                while (true) {
                    int l = 2 * c + 1;
                    if (l >= size) {
                        break;
                    }
                    int m = l + 1 < size && s.scores[heap[l + 1]] < s.scores[heap[l]] ? l + 1 : l;
                    if (s.scores[heap[c]] <= s.scores[heap[m]]) {
                        break;
                    }
                    int t = heap[c];
                    heap[c] = heap[m];
                    heap[m] = t;
                    c = m;
                }
            }
        }
        List<Match> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int o = heap[i];
            Doc d = o < table.length ? table[o] : null;
            if (d != null) { // null: removed while this search ran
                out.add(new Match(d, s.scores[o], s.marks[o] == 2));
            }
        }
        out.sort((x, y) -> Float.compare(y.score(), x.score()));
        return out;
    }

    Doc doc(String entryId) {
        return docs.get(entryId);
    }

    private static float idf(int n, int df) {
        return (float) Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }
}
