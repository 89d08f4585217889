package io.nectar.index;

/**
 * How a hybrid search fuses vector and lexical evidence. Defaults were chosen on CLINC150 training
 * utterances that are not in the FAQ store (validation data untouched); see BENCHMARKS.md.
 *
 * @param fusion          {@link Fusion#WEIGHTED} (default) or {@link Fusion#RRF}
 * @param lexicalWeight   WEIGHTED: score = cosine + lexicalWeight × lexical (+ identifierBoost)
 * @param identifierBoost added when the query names one of the entry's identifiers exactly (a SKU, an
 *                        order number, a model name): large enough that such an entry beats any loose
 *                        semantic neighbour
 * @param candidates      how many candidates each side contributes before fusion (at least k)
 * @param k1              BM25 term-frequency saturation
 * @param b               BM25 length normalisation
 */
public record HybridParams(Fusion fusion, float lexicalWeight, float identifierBoost, int candidates, float k1, float b) {

    /** How the two rankings are combined. */
    public enum Fusion {
        /** cosine + weight × normalised BM25 (+ identifier boost): keeps a cosine-like, thresholdable scale. */
        WEIGHTED,
        /** Reciprocal-rank fusion, 1/(60 + rank) summed over both lists (+ identifier boost): scale-free, not thresholdable. */
        RRF
    }

    public static final float DEFAULT_LEXICAL_WEIGHT = 0.3f;
    public static final float DEFAULT_IDENTIFIER_BOOST = 1.0f;
    public static final int DEFAULT_CANDIDATES = 50;

    public HybridParams {
        if (fusion == null) {
            throw new IllegalArgumentException("fusion is required");
        }
        if (lexicalWeight < 0 || identifierBoost < 0 || candidates < 1 || k1 <= 0 || b < 0 || b > 1) {
            throw new IllegalArgumentException("lexicalWeight and identifierBoost must be >= 0, candidates >= 1, k1 > 0, b in 0..1");
        }
    }

    public static HybridParams defaults() {
        return new HybridParams(Fusion.WEIGHTED, DEFAULT_LEXICAL_WEIGHT, DEFAULT_IDENTIFIER_BOOST, DEFAULT_CANDIDATES, 1.2f, 0.75f);
    }

    public HybridParams withLexicalWeight(float w) {
        return new HybridParams(fusion, w, identifierBoost, candidates, k1, b);
    }

    public HybridParams withFusion(Fusion f) {
        return new HybridParams(f, lexicalWeight, identifierBoost, candidates, k1, b);
    }
}
