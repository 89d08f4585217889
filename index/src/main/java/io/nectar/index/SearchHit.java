package io.nectar.index;

/**
 * A matching entry and how well it matches.
 *
 * @param entry   the entry
 * @param score   the ranking score, higher is better: the cosine similarity (−1..1) for a vector search;
 *                for a hybrid search the fused score (see {@link HybridParams}), which is the cosine plus
 *                lexical evidence and so can exceed 1
 * @param cosine  cosine similarity of the query vector and the entry's vector ({@code NaN} for a
 *                lexical-only search)
 * @param lexical the entry's lexical match, 0..1: the share of the query's BM25 weight it matched
 *                (0 for a vector-only search)
 */
public record SearchHit(IndexEntry entry, float score, float cosine, float lexical) {

    /** A vector-search hit: the score is the cosine. */
    public SearchHit(IndexEntry entry, float score) {
        this(entry, score, score, 0f);
    }
}
