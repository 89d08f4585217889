package io.nectar.gateway.dialogue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DialogueStateTest {

    private static DialogueState busy() {
        DialogueState d = new DialogueState();
        DialogueState.Frame f = new DialogueState.Frame();
        f.instance = "f1";
        f.flow = "exchange";
        f.step = "size";
        f.slots.put("color", "black");
        f.vars.put("order", new JsonObject().put("id", "DX1001").put("items", new io.vertx.core.json.JsonArray().add("shoe")));
        f.fetchedIn.put("order", "en");
        f.validated.add("color");
        f.noContext.add("size");
        f.attempts = 2;
        f.confirmed = true;
        f.retry = new JsonObject().put("action", "exchange");
        d.active = f;
        DialogueState.Frame waiting = new DialogueState.Frame();
        waiting.instance = "f0";
        waiting.flow = "track";
        waiting.step = "order";
        d.suspended.add(waiting);
        d.context.put("product", "SKU-1");
        d.fallbacks = 1;
        d.offer = "exchange";
        d.handoff = new JsonObject().put("reason", "asked");
        d.started = 2;
        d.offersShown.add("socks");
        return d;
    }

    @Test
    void aNewConversationsStateIsAnEmptyObject() {
        assertEquals(new JsonObject(), new DialogueState().toJson());
        DialogueState back = DialogueState.fromJson(new JsonObject());
        assertNull(back.active);
        assertEquals(0, back.fallbacks);
        assertTrue(back.context.isEmpty());
    }

    @Test
    void everyFieldRoundTripsThroughJson() {
        DialogueState d = busy();
        JsonObject json = d.toJson();
        assertEquals(json, DialogueState.fromJson(new JsonObject(json.encode())).toJson());
        assertEquals("black", json.getJsonObject("active").getJsonObject("slots").getString("color"));
        assertEquals(2, json.getJsonObject("active").getInteger("attempts"));
        // a suspended frame with nothing collected keeps only what names it
        assertEquals(new JsonObject().put("instance", "f0").put("flow", "track").put("step", "order"),
                json.getJsonArray("suspended").getJsonObject(0));
    }

    @Test
    void stateWrittenWithEveryFieldSpelledOutIsStillRead() {
        // the form written before empty fields were left out: kept conversations must still resume
        JsonObject old = new JsonObject("""
                {"active":{"instance":"f1","flow":"exchange","step":"size","slots":{"color":"black"},"vars":{},
                "fetchedIn":{},"validated":[],"noContext":[],"attempts":0,"confirmed":false,"retry":null},
                "suspended":[],"context":{"order":"DX1001"},"fallbacks":0,"offer":null,"handoff":null,"started":1,"offers":[]}""");
        DialogueState d = DialogueState.fromJson(old);
        assertEquals("black", d.active.slots.get("color"));
        assertEquals("DX1001", d.context.get("order"));
        assertEquals(1, d.started);
        assertNull(d.handoff);
    }

    @Test
    void aCopySharesNothingWithItsOriginal() {
        DialogueState d = busy();
        JsonObject before = d.toJson();
        DialogueState c = d.copy();
        assertEquals(before, c.toJson());
        c.active.slots.put("size", "42");
        c.active.vars.getJsonObject("order").put("id", "other");
        c.active.fetchedIn.put("x", "zh");
        c.active.validated.add("size");
        c.active.noContext.add("color");
        c.active.retry.put("action", "refund");
        c.suspended.get(0).step = "changed";
        c.suspended.add(new DialogueState.Frame());
        c.context.put("order", "DX2");
        c.handoff.put("reason", "complaint");
        c.offersShown.add("belt");
        assertEquals(before, d.toJson(), "the original is as it was");
    }
}
