package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nectar.index.Fixtures.ids;
import static io.nectar.index.Fixtures.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HybridSearchTest {

    private static IndexEntry product(String sku, String title, float... v) {
        return new IndexEntry("product:" + sku, sku, EntryKind.PRODUCT, "en", sku + " " + title, unit(v));
    }

    @Test
    void anExactIdentifierBeatsACloserVector() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replace("shop", "enc", 3, List.of(
                    product("SH-LS-001", "Classic Lace-up Leather Shoes", 1, 0, 0),
                    product("SH-LS-002", "Classic Lace-up Leather Boots", 0.9f, 0.1f, 0),
                    product("CARE-SPR-001", "Waterproof Protector Spray", 0, 0, 1)));
            // the query vector sits nearer the boots, but the shopper typed the shoes' SKU
            float[] q = unit(0.9f, 0.12f, 0);
            assertEquals("product:SH-LS-002", index.search("shop", "enc", q, 1).get(0).entry().id());
            SearchHit top = index.search("shop", "enc", q, "is SH-LS-001 in stock?", 3).get(0);
            assertEquals("product:SH-LS-001", top.entry().id());
            assertTrue(top.lexical() > 0);
            assertTrue(top.cosine() < top.score());
            // a variant SKU finds its product through the identifier prefix
            assertEquals("product:SH-LS-001",
                    index.search("shop", "enc", q, "SH-LS-001-RED-42 size?", 1).get(0).entry().id());
        }
    }

    @Test
    void aDateSharedWithAPhrasingIsNoIdentifierMatch() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replace("shop", "enc", 3, List.of(
                    new IndexEntry("faq:book-hotel", "book-hotel", EntryKind.FAQ, "en",
                            "book me a hotel in paris from the 10th to the 15th", unit(1, 0, 0)),
                    new IndexEntry("faq:calendar", "calendar", EntryKind.FAQ, "en", "what is on my calendar", unit(0, 1, 0))));
            float[] q = unit(0.1f, 1, 0);
            List<SearchHit> hits = index.search("shop", "enc", q, "is anything on for the 10th", 2);
            SearchHit hotel = hits.stream().filter(h -> h.entry().id().equals("faq:book-hotel")).findFirst().orElseThrow();
            // the hotel phrasing shares "the 10th" with the question; that earns it lexical weight, not the boost
            float lexicalWeight = index.config().hybrid().lexicalWeight();
            assertEquals(hotel.cosine() + lexicalWeight * hotel.lexical(), hotel.score(), 1e-5);
            assertEquals("faq:calendar", hits.get(0).entry().id());
        }
    }

    @Test
    void aLexicalOnlyCandidateIsFoundEvenWhenFarInVectorSpace() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replace("shop", "enc", 2, List.of(
                    product("DX1001", "desk lamp", 0, 1),
                    product("DX2002", "floor lamp", 0.8f, 0.6f),
                    product("DX3003", "table", 1, 0.05f)));
            List<SearchHit> hits = index.search("shop", "enc", unit(1, 0), "DX1001", 3, Ranking.HYBRID,
                    HybridParams.defaults().withLexicalWeight(0.3f));
            assertEquals("product:DX1001", hits.get(0).entry().id());
            List<SearchHit> lexical = index.search("shop", "enc", null, "desk lamp", 3, Ranking.LEXICAL);
            assertEquals("product:DX1001", lexical.get(0).entry().id());
            assertTrue(Float.isNaN(lexical.get(0).cosine()));
        }
    }

    @Test
    void wordOverlapBreaksNearTiesAndEmptyTextFallsBackToVectors() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replace("shop", "enc", 2, List.of(
                    new IndexEntry("faq:refund", "refund", EntryKind.FAQ, "en", "how long does a refund take", unit(1, 0.15f)),
                    new IndexEntry("faq:return", "return", EntryKind.FAQ, "en", "how do i return an item", unit(1, 0))));
            float[] q = unit(1, 0);
            assertEquals("faq:return", index.search("shop", "enc", q, 1).get(0).entry().id());
            assertEquals("faq:refund", index.search("shop", "enc", q, "when will my refund arrive", 1).get(0).entry().id());
            assertEquals(ids(index.search("shop", "enc", q, 2)), ids(index.search("shop", "enc", q, "", 2)));
        }
    }

    @Test
    void rrfFusionAddsReciprocalRanksOfBothLists() {
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replace("shop", "enc", 2, List.of(
                    product("A-100", "red scarf", 1, 0),
                    product("B-200", "blue scarf", 0.6f, 0.8f),
                    product("C-300", "green hat", 0, 1)));
            HybridParams rrf = HybridParams.defaults().withFusion(HybridParams.Fusion.RRF);
            List<SearchHit> hits = index.search("shop", "enc", unit(1, 0.1f), "red scarf", 3, Ranking.HYBRID, rrf);
            assertEquals(List.of("product:A-100", "product:B-200", "product:C-300"), ids(hits));
            assertEquals(2f / 60, hits.get(0).score(), 1e-6);
            assertEquals(2f / 61, hits.get(1).score(), 1e-6);
            assertEquals(1f / 62, hits.get(2).score(), 1e-6, "no word in common: vector rank only");
        }
    }
}
