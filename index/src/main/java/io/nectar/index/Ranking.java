package io.nectar.index;

/** How a search ranks entries. */
public enum Ranking {
    /** Cosine similarity of sentence vectors only. */
    VECTOR,
    /** BM25 over entry texts only ({@link Analyzer} terms); the score is the 0..1 lexical match. */
    LEXICAL,
    /** Vector and lexical candidates fused as {@link HybridParams} says. */
    HYBRID
}
