package io.nectar.gateway.assist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The assist pane for one shopper message: what the message most likely asks (intent and confidence),
 * up to three suggested replies, the entities found, the shopper's orders the conversation names (from the
 * merchant's system) and the product under discussion.
 *
 * @param assistId       unique; a suggestion is used by naming its assist and its id
 * @param messageSeq     the seq of the shopper's message it is for
 * @param dialogueBefore the conversation's dialogue state when it was made (to run an {@code action} later)
 * @param intent         {@code faq:<id>}, {@code flow:<id>}, {@code product:<sku>}, {@code promotion:<id>} or
 *                       {@code out_of_scope}
 */
public record Assist(String assistId, String conversationId, long messageSeq, String messageText, String language,
                     String intent, double confidence, List<Suggestion> suggestions, JsonArray entities, JsonArray orders,
                     JsonObject product, JsonObject dialogueBefore, long at) {

    public Assist {
        suggestions = List.copyOf(suggestions);
    }

    public Suggestion suggestion(String id) {
        for (Suggestion s : suggestions) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** As the agent's workbench shows it (no dialogue states). */
    public JsonObject toClient() {
        JsonArray s = new JsonArray();
        suggestions.forEach(x -> s.add(x.toClient()));
        return new JsonObject().put("assistId", assistId).put("conversationId", conversationId).put("messageSeq", messageSeq)
                .put("message", messageText).put("language", language).put("intent", intent)
                .put("confidence", Math.round(confidence * 1000) / 1000.0).put("suggestions", s)
                .put("entities", entities.copy()).put("orders", orders.copy()).put("product", product == null ? null : product.copy())
                .put("at", at);
    }

    public JsonObject toJson() {
        JsonArray s = new JsonArray();
        suggestions.forEach(x -> s.add(x.toJson()));
        return toClient().put("suggestions", s).put("dialogueBefore", dialogueBefore);
    }

    public static Assist fromJson(JsonObject j) {
        List<Suggestion> s = new ArrayList<>();
        j.getJsonArray("suggestions", new JsonArray()).forEach(x -> s.add(Suggestion.fromJson((JsonObject) x)));
        return new Assist(j.getString("assistId"), j.getString("conversationId"), j.getLong("messageSeq", 0L), j.getString("message"),
                j.getString("language"), j.getString("intent"), j.getDouble("confidence", 0.0), s,
                j.getJsonArray("entities", new JsonArray()), j.getJsonArray("orders", new JsonArray()), j.getJsonObject("product"),
                j.getJsonObject("dialogueBefore"), j.getLong("at", 0L));
    }
}
