package io.nectar.index;

/** What an index entry stands for. */
public enum EntryKind {
    /** A question or paraphrase of an FAQ entry; the target is the FAQ id. */
    FAQ,
    /** A product title or attribute line; the target is the product SKU. */
    PRODUCT,
    /** A promotion rule's name or description; the target is the promotion id. */
    PROMOTION,
    /** A trigger phrasing of a dialogue flow; the target is the flow id. */
    FLOW
}
