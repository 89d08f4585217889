package io.nectar.gateway.chat;

import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.conversations.Transcripts;
import io.nectar.gateway.store.Localized;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.Storefront;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The first frame of every chat connection ({@code welcome}, docs/protocol.md) and the store's public
 * face shared with {@code GET /api/chat-config}: names, greeting, brand, limits and the conversation's
 * time to live. Pure; any thread.
 */
public final class Welcome {

    /** Transcript lines in {@code history}, for clients that draw the conversation from it. */
    static final int HISTORY = 20;

    private Welcome() {
    }

    /**
     * @param missed the frames with a seq above the client's {@code lastSeq}, oldest first, or {@code null}
     *               when the client gave none
     */
    public static JsonObject frame(ChatSession session, Store store, GatewayConfig config, List<JsonObject> missed,
                                   String requestedLanguage) {
        String lang = language(store, session.language(), requestedLanguage);
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
                .put("storeNames", perLanguage(store, store.name()))
                .put("language", lang)
                .put("languages", new JsonArray(store.languages()))
                .put("greeting", store.greeting().get(lang, store.defaultLanguage()))
                .put("brand", brand(store))
                .put("resumed", session.resumed())
                .put("seq", session.seq())
                .put("history", history)
                .put("flow", activeFlow(session))
                .put("owner", session.ownerKind())
                .put("conversationTtlSeconds", config.conversationTtl().toSeconds())
                .put("limits", limits(config));
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

    /**
     * The language a client shows before the shopper has written: the conversation's, else the one the
     * client asked for ({@code ?lang=}) when the store serves it, else the store's default.
     */
    static String language(Store store, String conversationLanguage, String requested) {
        if (conversationLanguage != null) {
            return conversationLanguage;
        }
        if (requested != null) {
            for (String l : store.languages()) {
                if (l.equalsIgnoreCase(requested)) {
                    return l;
                }
            }
        }
        return store.defaultLanguage();
    }

    /** What {@code GET /api/chat-config?merchant=} says about a store: enough to draw the chat before connecting. */
    public static JsonObject config(Store store, GatewayConfig config) {
        return new JsonObject()
                .put("merchant", store.merchantId())
                .put("storeNames", perLanguage(store, store.name()))
                .put("languages", new JsonArray(store.languages()))
                .put("defaultLanguage", store.defaultLanguage())
                .put("greetings", perLanguage(store, store.greeting()))
                .put("brand", brand(store))
                .put("conversationTtlSeconds", config.conversationTtl().toSeconds())
                .put("limits", limits(config));
    }

    /** The text in each of the store's languages (the default language's where one is missing). */
    private static JsonObject perLanguage(Store store, Localized text) {
        JsonObject out = new JsonObject();
        if (text.isEmpty()) {
            return out;
        }
        for (String l : store.languages()) {
            out.put(l, text.get(l, store.defaultLanguage()));
        }
        return out;
    }

    private static JsonObject brand(Store store) {
        Storefront s = store.storefront();
        JsonObject b = new JsonObject();
        if (s.color() != null) {
            b.put("color", s.color());
        }
        if (s.logo() != null) {
            b.put("logo", Storefront.url(store.merchantId(), s.logo()));
        }
        return b;
    }

    private static JsonObject limits(GatewayConfig config) {
        return new JsonObject()
                .put("maxTextChars", config.maxTextChars())
                .put("maxFrameBytes", config.maxFrameBytes())
                .put("messagesPerSecond", config.messagesPerSecond())
                .put("burst", config.messageBurst());
    }
}
