package io.nectar.gateway.chat;

import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.conversations.Transcripts;
import io.nectar.gateway.store.Store;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The first frame of every connection (docs/protocol.md, "welcome"). Pure function. */
public final class Welcome {

    /** Transcript lines in {@code history}, for clients that draw the conversation from it. */
    static final int HISTORY = 20;

    private Welcome() {
    }

    /**
     * @param missed the frames with a seq above the client's {@code lastSeq}, oldest first, or {@code null}
     *               when the client gave none
     */
    public static JsonObject frame(ChatSession session, Store store, GatewayConfig config, List<JsonObject> missed) {
        String lang = session.language() != null ? session.language() : store.defaultLanguage();
        List<JsonObject> window = session.window();
        JsonArray history = new JsonArray();
        for (JsonObject f : window.subList(Math.max(0, window.size() - HISTORY), window.size())) {
            history.add(Transcripts.turn(f));
        }
        JsonObject welcome = new JsonObject()
                .put("type", "welcome")
                .put("conversationId", session.conversationId())
                .put("merchant", store.merchantId())
                .put("storeName", store.name().get(lang, store.defaultLanguage()))
                .put("language", lang)
                .put("languages", new JsonArray(store.languages()))
                .put("greeting", store.greeting().get(lang, store.defaultLanguage()))
                .put("resumed", session.resumed())
                .put("seq", session.seq())
                .put("history", history)
                .put("flow", activeFlow(session))
                .put("limits", new JsonObject()
                        .put("maxTextChars", config.maxTextChars())
                        .put("maxFrameBytes", config.maxFrameBytes())
                        .put("messagesPerSecond", config.messagesPerSecond())
                        .put("burst", config.messageBurst()));
        if (missed != null) {
            welcome.put("missed", new JsonArray(missed));
        }
        return welcome;
    }

    /** The flow in progress of a resumed conversation, as in replies; {@code null} when none. */
    static JsonObject activeFlow(ChatSession session) {
        var active = session.dialogue().active;
        if (active == null) {
            return null;
        }
        JsonObject slots = new JsonObject();
        active.slots.forEach(slots::put);
        return new JsonObject().put("id", active.flow).put("step", active.step).put("status", "active").put("slots", slots);
    }
}
