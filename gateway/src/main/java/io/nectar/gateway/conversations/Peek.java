package io.nectar.gateway.conversations;

import io.nectar.gateway.dialogue.DialogueState;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A conversation as an agent sees it without taking it: who answers it, its language, where the
 * dialogue stands and the last messages (each frame with its seq).
 */
public record Peek(String conversationId, String merchantId, String owner, String language, DialogueState dialogue,
                   List<JsonObject> window, long seq, long updatedAt) {

    public Peek {
        window = List.copyOf(window);
        owner = Owner.of(owner);
    }
}
