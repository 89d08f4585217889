package io.nectar.gateway.ws;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.chat.ChatSession;
import io.nectar.gateway.ratings.Ratings;
import io.nectar.gateway.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Frames a shopper sends besides messages (docs/protocol.md): {@code rate} (good or bad, an optional
 * comment) answered with {@code rated}, and {@code offer} (a click on an offer shown in this conversation)
 * answered with {@code offer_recorded}. A bad field is answered with an error frame; nothing is recorded.
 */
final class ClientEvents {

    static final Set<Object> TYPES = Set.of("rate", "offer");

    private ClientEvents() {
    }

    /** The frame to answer with: the acknowledgement, or {@code {"type":"error","message":…}} for a bad field. */
    static Future<JsonObject> handle(GatewayServices services, Store store, ChatSession session, JsonObject frame) {
        if ("rate".equals(frame.getValue("type"))) {
            Object rating = frame.getValue("rating");
            if (!"good".equals(rating) && !"bad".equals(rating)) {
                return bad("'rating' must be \"good\" or \"bad\"");
            }
            Object c = frame.getValue("comment");
            if (c != null && !(c instanceof String)) {
                return bad("'comment' must be a text");
            }
            String comment = c == null || ((String) c).isBlank() ? null : ((String) c).strip();
            if (comment != null && comment.codePointCount(0, comment.length()) > Ratings.MAX_COMMENT) {
                return bad("'comment' is over " + Ratings.MAX_COMMENT + " characters");
            }
            return services.ratings().record(store.merchantId(), session.conversationId(), session.shopperId(), "good".equals(rating),
                    comment).map(v -> new JsonObject().put("type", "rated").put("rating", rating));
        }
        Object offer = frame.getValue("offer");
        if (!(offer instanceof String id) || !session.dialogue().offersShown.contains(id)) {
            return bad("'offer' must name an offer shown in this conversation");
        }
        if (!"click".equals(frame.getValue("action", "click"))) {
            return bad("'action' must be \"click\"");
        }
        return services.offers().clicked(session, id).map(v -> new JsonObject().put("type", "offer_recorded").put("offer", id)
                .put("action", "click"));
    }

    private static Future<JsonObject> bad(String message) {
        return Future.succeededFuture(new JsonObject().put("type", "error").put("message", message));
    }
}
