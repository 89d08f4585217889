package io.nectar.gateway.conversations;

import io.nectar.gateway.dialogue.DialogueState;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * A conversation as one connection holds it: the claim's epoch and the state it found.
 *
 * @param epoch     the claim's fencing token; commits under an older epoch are refused
 * @param seq       the conversation's last sequence number when claimed
 * @param resumed   true when an existing conversation was taken up, false when this one is new
 * @param language  the language the conversation was last answered in, or {@code null}
 * @param dialogue  where the dialogue stood
 * @param window    the last messages as their clients saw them, oldest first, each with its {@code seq}
 * @param answered  recently answered client message ids, each with the seq of its reply
 * @param shopperId the shopper a verified shopper token named, or {@code null} (anonymous)
 * @param owner     who answers the shopper ({@link Owner})
 */
public record Claim(String conversationId, String merchantId, long epoch, long seq, boolean resumed, long createdAt,
                    String language, DialogueState dialogue, List<JsonObject> window, Map<String, Long> answered,
                    String shopperId, String owner) {

    public Claim {
        window = List.copyOf(window);
        answered = Map.copyOf(answered);
        owner = Owner.of(owner);
    }

    /** The first seq the window holds (1 when it holds everything; older messages are in PostgreSQL). */
    public long windowStart() {
        return window.isEmpty() ? seq + 1 : window.get(0).getLong("seq", 1L);
    }
}
