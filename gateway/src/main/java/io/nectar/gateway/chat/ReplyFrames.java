package io.nectar.gateway.chat;

import io.nectar.gateway.dialogue.Turn;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.transcript.LoggedMessage;
import io.nectar.nlu.entity.Entity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * The frames of one answered message as the client receives them (docs/protocol.md): the shopper's
 * message echoed into the conversation's window, and the bot's reply; and their durable-log records.
 * Frames are built without a {@code seq}; the conversation store assigns it at commit. Pure functions.
 */
public final class ReplyFrames {

    private ReplyFrames() {
    }

    /** The shopper's message as other tabs and a resuming client see it. */
    public static JsonObject shopper(String messageId, String text, long at) {
        return new JsonObject().put("type", "message").put("id", messageId).put("text", text).put("at", at);
    }

    public static JsonObject reply(Store store, String replyTo, Turn t, long at) {
        JsonObject reply = new JsonObject()
                .put("type", "reply")
                .put("replyTo", replyTo)
                .put("text", t.text())
                .put("intent", t.intent())
                .put("confidence", Math.round(t.confidence() * 1000) / 1000.0)
                .put("source", t.source())
                .put("language", t.lang())
                .put("at", at);
        if (t.ref() != null) {
            reply.put("ref", t.ref());
        }
        if (!t.suggestions().isEmpty()) {
            reply.put("suggestions", new JsonArray(t.suggestions()));
        }
        if (t.handoffOffered()) {
            reply.put("handoffOffered", true);
        }
        JsonObject flow = t.flow();
        if (flow != null) {
            reply.put("flow", flow);
        }
        JsonArray quickReplies = QuickReplies.of(store, t.lang(), flow, t.suggestions(), t.handoffOffered());
        if (!quickReplies.isEmpty()) {
            reply.put("quickReplies", quickReplies);
        }
        JsonArray cards = ReplyCards.of(store, t.source(), t.ref(), t.lang());
        if (!cards.isEmpty()) {
            reply.put("cards", cards);
        }
        JsonArray entities = new JsonArray();
        for (Entity e : t.understanding().extraction().entities()) {
            JsonObject j = new JsonObject().put("type", e.type().code()).put("value", e.value()).put("text", e.text())
                    .put("start", e.start()).put("end", e.end());
            e.attributes().forEach(j::put);
            if (!e.flags().isEmpty()) {
                j.put("flags", new JsonArray(e.flags().stream().map(f -> f.name().toLowerCase(Locale.ROOT)).sorted().toList()));
            }
            entities.add(j);
        }
        if (!entities.isEmpty()) {
            reply.put("entities", entities);
        }
        if (t.handoffReason() != null) {
            reply.put("handoff", new JsonObject().put("reason", t.handoffReason())
                    .put("status", t.handoffUnavailable() ? "unavailable" : "pending"));
        }
        return reply;
    }

    public static LoggedMessage shopperRecord(String conversationId, String merchantId, String messageId, String text,
                                              String lang, long at, JsonObject frame) {
        return new LoggedMessage(conversationId, merchantId, 0, "shopper", messageId, text, null, null, lang, at, null, null, frame);
    }

    public static LoggedMessage replyRecord(String conversationId, String merchantId, String replyTo, Turn t, long at,
                                            JsonObject frame) {
        // a store without agents queues no handoff (nobody would take it): the reply says so instead
        String handoff = t.handoffReason() != null && !t.handoffUnavailable() ? t.handoffReason() : null;
        boolean handedOff = handoff != null || t.state().handedOff();
        return new LoggedMessage(conversationId, merchantId, 0, "bot", replyTo, t.text(), t.intent(), t.source(), t.lang(), at,
                handoff, handedOff ? t.state().toJson() : null, frame);
    }
}
