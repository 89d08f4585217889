package io.nectar.index;

import java.util.Objects;

/**
 * One searchable line of a merchant's knowledge and its sentence vector.
 *
 * @param id     unique within its tenant and vector space (e.g. {@code faq:shipping-time:zh:3})
 * @param target the object the line stands for: an FAQ id, a SKU, a promotion id
 * @param kind   what kind of object {@code target} is
 * @param lang   language of {@code text} (ISO 639-1)
 * @param text   the line as the merchant wrote it; the lexical (BM25) side of hybrid search indexes it, so
 *               put every phrasing of an FAQ prototype here (one per line) and a product's SKU and title
 * @param vector unit-length sentence vector; owned by the index once added, never modified
 */
public record IndexEntry(String id, String target, EntryKind kind, String lang, String text, float[] vector) {
    public IndexEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(vector, "vector");
    }
}
