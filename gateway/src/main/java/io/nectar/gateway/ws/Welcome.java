package io.nectar.gateway.ws;

import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.session.Conversation;
import io.nectar.gateway.session.Turn;
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

    static final int HISTORY_IN_WELCOME = 20;

    private Welcome() {
    }

    /**
     * The language a client shows before the shopper has written: the conversation's, else the one the
     * client asked for ({@code ?lang=}) when the store serves it, else the store's default.
     */
    static String language(Store store, Conversation conversation, String requested) {
        if (conversation.language() != null) {
            return conversation.language();
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

    static JsonObject frame(Store store, Conversation conversation, boolean resumed, String lang, GatewayConfig config,
                            JsonObject flow) {
        JsonArray history = new JsonArray();
        List<Turn> turns = conversation.turns();
        for (Turn t : turns.subList(Math.max(0, turns.size() - HISTORY_IN_WELCOME), turns.size())) {
            history.add(t.toJson());
        }
        return new JsonObject()
                .put("type", "welcome")
                .put("conversationId", conversation.id())
                .put("merchant", store.merchantId())
                .put("storeName", store.name().get(lang, store.defaultLanguage()))
                .put("storeNames", perLanguage(store, store.name()))
                .put("language", lang)
                .put("languages", new JsonArray(store.languages()))
                .put("greeting", store.greeting().get(lang, store.defaultLanguage()))
                .put("brand", brand(store))
                .put("resumed", resumed)
                .put("history", history)
                .put("flow", flow)
                .put("conversationTtlSeconds", config.conversationTtl().toSeconds())
                .put("limits", limits(config));
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
    private static JsonObject perLanguage(Store store, io.nectar.gateway.store.Localized text) {
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
