package io.nectar.gateway.handoff;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HandoffDeskTest {

    private static JsonArray lines(String... texts) {
        JsonArray a = new JsonArray();
        for (String t : texts) {
            a.add(new JsonObject().put("role", "shopper").put("text", t));
        }
        return a;
    }

    @Test
    void aWaitingConversationsTranscriptIsReadWhenTheQueueIsListedNotAtEveryMessage() {
        HandoffDesk desk = new HandoffDesk();
        desk.open("shop", "c1", "requested", "en", lines("human please"), new JsonObject());
        AtomicInteger reads = new AtomicInteger();
        for (int i = 1; i <= 5; i++) {
            String[] texts = new String[i + 1];
            texts[0] = "human please";
            for (int j = 1; j <= i; j++) {
                texts[j] = "hello " + j;
            }
            desk.update("shop", "c1", () -> {
                reads.incrementAndGet();
                return lines(texts);
            }, new JsonObject().put("step", i));
        }
        assertEquals(0, reads.get(), "no transcript is built while nobody looks");

        List<HandoffDesk.Handoff> listed = desk.waiting("shop");
        assertEquals(1, reads.get(), "the newest transcript is read once, when listed");
        assertEquals(6, listed.get(0).transcript().size());
        assertEquals("hello 5", listed.get(0).transcript().getJsonObject(5).getString("text"));
        assertEquals(5, listed.get(0).dialogue().getInteger("step"), "the dialogue is the newest");

        desk.waiting("shop");
        assertEquals(1, reads.get(), "nothing new since: not read again");
    }

    @Test
    void aConversationTheStoreNoLongerHoldsKeepsTheTranscriptItHad() {
        HandoffDesk desk = new HandoffDesk();
        desk.open("shop", "c1", "complaint", "en", lines("this is a scam"), new JsonObject());
        desk.update("shop", "c1", JsonArray::new, new JsonObject());
        assertEquals("this is a scam", desk.waiting("shop").get(0).transcript().getJsonObject(0).getString("text"));
    }

    @Test
    void updatesOfConversationsNotWaitingAreIgnoredAndMerchantsAreApart() {
        HandoffDesk desk = new HandoffDesk();
        desk.open("shop-a", "c1", "requested", "en", lines("agent"), new JsonObject());
        AtomicInteger reads = new AtomicInteger();
        desk.update("shop-b", "c1", () -> {
            reads.incrementAndGet();
            return lines("other");
        }, new JsonObject());
        desk.update("shop-a", "c2", () -> {
            reads.incrementAndGet();
            return lines("other");
        }, new JsonObject());
        assertEquals(List.of(), desk.waiting("shop-b"));
        assertEquals(1, desk.waiting("shop-a").size());
        assertEquals("agent", desk.waiting("shop-a").get(0).transcript().getJsonObject(0).getString("text"));
        assertEquals(0, reads.get());
        desk.taken("shop-a", "c1", "ana", lines("agent", "hi, Ana here"));
        assertEquals("ana", desk.waiting("shop-a").get(0).takenBy());
        assertEquals(2, desk.waiting("shop-a").get(0).transcript().size());
        assertEquals(true, desk.take("shop-a", "c1"));
        assertNull(desk.waiting("shop-a").stream().findFirst().orElse(null));
    }
}
