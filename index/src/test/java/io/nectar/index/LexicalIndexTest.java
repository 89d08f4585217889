package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LexicalIndexTest {

    private static final String[] WORDS = {"red", "blue", "leather", "shoe", "boot", "scarf", "发货", "包邮", "退货", "尺码", "SH-LS-001", "DX1001"};

    private static List<IndexEntry> texts(int n, long seed) {
        Random r = new Random(seed);
        List<IndexEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 1 + r.nextInt(6); w++) {
                sb.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
            }
            out.add(new IndexEntry("d" + i, "t", EntryKind.FAQ, "en", sb.toString(), new float[]{1}));
        }
        return out;
    }

    @Test
    void aBulkBuildAndLiveWritesScoreAlike() {
        List<IndexEntry> entries = texts(300, 1);
        LexicalIndex bulk = LexicalIndex.build(1.2f, 0.75f, entries);
        LexicalIndex live = new LexicalIndex(1.2f, 0.75f);
        for (IndexEntry e : entries) {
            live.put(e.id(), "something else entirely");
        }
        for (IndexEntry e : entries) {
            live.put(e.id(), e.text()); // re-index: the old text must vanish
        }
        assertEquals(bulk.size(), live.size());
        for (String q : List.of("red leather shoe", "发货 包邮吗", "SH-LS-001", "dx1001 boot", "nothing matches")) {
            LexicalIndex.Query query = LexicalIndex.Query.of(q);
            List<LexicalIndex.Match> a = bulk.search(query, 0).top();
            List<LexicalIndex.Match> b = live.search(query, 0).top();
            assertEquals(a.size(), b.size(), q);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).score(), b.get(i).score(), 1e-5, q);
                assertEquals(a.get(i).identifier(), b.get(i).identifier(), q);
            }
        }
        assertTrue(live.search(LexicalIndex.Query.of("something else"), 0).top().isEmpty());
    }

    @Test
    void scoresAreNormalisedAndIdentifiersFlagged() {
        LexicalIndex index = LexicalIndex.build(1.2f, 0.75f, List.of(
                new IndexEntry("a", "a", EntryKind.PRODUCT, "en", "SH-LS-001 classic leather shoes", new float[]{1}),
                new IndexEntry("b", "b", EntryKind.PRODUCT, "en", "classic leather boots", new float[]{1}),
                new IndexEntry("c", "c", EntryKind.PRODUCT, "en", "wool scarf", new float[]{1})));
        LexicalIndex.Result r = index.search(LexicalIndex.Query.of("classic leather SH-LS-001"), 10);
        assertEquals("a", r.top().get(0).doc().entryId);
        assertTrue(r.top().get(0).identifier());
        assertFalse(r.match("b").identifier());
        for (LexicalIndex.Match m : r.top()) {
            assertTrue(m.score() > 0 && m.score() <= 1, "score " + m.score());
        }
        assertNull(r.match("c"), "no shared term");
        assertNotNull(r.match("b"));
        assertTrue(r.match("a").score() > r.match("b").score());
    }

    @Test
    void removedDocumentsAreNotFound() {
        LexicalIndex index = LexicalIndex.build(1.2f, 0.75f, texts(50, 2));
        int before = index.search(LexicalIndex.Query.of("red"), 0).top().size();
        assertTrue(before > 0);
        String victim = index.search(LexicalIndex.Query.of("red"), 1).top().get(0).doc().entryId;
        assertTrue(index.remove(victim));
        assertFalse(index.remove(victim));
        List<LexicalIndex.Match> after = index.search(LexicalIndex.Query.of("red"), 0).top();
        assertEquals(before - 1, after.size());
        assertTrue(after.stream().noneMatch(m -> m.doc().entryId.equals(victim)));
    }
}
