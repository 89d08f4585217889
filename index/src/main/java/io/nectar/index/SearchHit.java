package io.nectar.index;

/** A matching entry and its cosine similarity to the query (−1..1, higher is closer). */
public record SearchHit(IndexEntry entry, float score) {
}
