package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nectar.index.ExactVectorIndexTest.entry;
import static io.nectar.index.ExactVectorIndexTest.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnowledgeIndexTest {

    @Test
    void tenantsNeverSeeEachOthersEntries() {
        KnowledgeIndex index = new KnowledgeIndex();
        index.replace("shop-a", "enc", 2, List.of(entry("a1", 1, 0)));
        index.replace("shop-b", "enc", 2, List.of(entry("b1", 1, 0.01f), entry("b2", 0, 1)));
        List<SearchHit> a = index.search("shop-a", "enc", unit(1, 0), 10);
        assertEquals(List.of("a1"), a.stream().map(h -> h.entry().id()).toList());
        assertTrue(index.search("shop-c", "enc", unit(1, 0), 10).isEmpty());
        assertTrue(index.search("shop-a", "other", unit(1, 0), 10).isEmpty());
        index.dropTenant("shop-b");
        assertTrue(index.search("shop-b", "enc", unit(1, 0), 10).isEmpty());
        assertEquals(1, index.size("shop-a", "enc"));
    }

    @Test
    void upsertIsVisibleToTheNextSearch() {
        KnowledgeIndex index = new KnowledgeIndex();
        index.upsert("shop", "enc", entry("x", 1, 0));
        assertEquals("x", index.search("shop", "enc", unit(1, 0), 1).get(0).entry().id());
        assertTrue(index.remove("shop", "enc", "x"));
        assertTrue(index.search("shop", "enc", unit(1, 0), 1).isEmpty());
    }
}
