package io.nectar.gateway.chat;

import io.nectar.gateway.store.Store;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What the rest of the node hears of shopper messages once they are committed: the agents' workbench
 * shows them live, and builds the assist pane for a message the bot did not answer because an agent owns
 * the conversation. Called on the connection's event loop; implementations return at once.
 */
public interface ConversationEvents {

    /** Frames committed for a conversation (the shopper's message and the bot's reply), each with its seq. */
    void committed(Store store, ChatSession session, List<JsonObject> frames);

    /** A shopper's message kept for the agent who owns the conversation (no bot reply). */
    void held(Store store, ChatSession session, JsonObject shopperFrame, String owner);

    ConversationEvents NONE = new ConversationEvents() {
        @Override
        public void committed(Store store, ChatSession session, List<JsonObject> frames) {
        }

        @Override
        public void held(Store store, ChatSession session, JsonObject shopperFrame, String owner) {
        }
    };
}
