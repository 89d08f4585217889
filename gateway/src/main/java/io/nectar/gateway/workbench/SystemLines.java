package io.nectar.gateway.workbench;

import io.nectar.gateway.auth.AgentSession;
import io.nectar.gateway.conversations.OwnerRequest;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The system line a shopper sees when an agent joins, hands the conversation back to the assistant or
 * closes it, in every language of the store (Chinese and English written here; other languages get the
 * English line), as the frame and the durable-log record of an ownership change. In the log record
 * {@code intent} is the event, {@code source} the new owner and {@code messageId} the agent's login.
 */
public final class SystemLines {

    public static final String JOINED = "agent_joined";
    public static final String LEFT = "agent_left";
    public static final String CLOSED = "closed";

    private SystemLines() {
    }

    /** The request with the system message in each of the store's languages. */
    public static OwnerRequest request(Store store, String conversationId, AgentSession agent, OwnerRequest.Action action) {
        Map<String, LoggedMessage> messages = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        String event = event(action);
        String kind = switch (action) {
            case TAKE -> "agent";
            case HAND_BACK -> "bot";
            case CLOSE -> "closed";
        };
        String owner = switch (action) {
            case TAKE -> agent.owner();
            case HAND_BACK -> "bot";
            case CLOSE -> "closed";
        };
        java.util.List<String> languages = new java.util.ArrayList<>(store.languages());
        languages.remove(store.defaultLanguage());
        languages.add(0, store.defaultLanguage());
        for (String lang : languages) {
            String text = text(event, lang, agent.name());
            JsonObject frame = new JsonObject().put("type", "system").put("event", event).put("owner", kind)
                    .put("text", text).put("at", now);
            if (action == OwnerRequest.Action.TAKE) {
                frame.put("agent", agent.name());
            }
            messages.put(lang, new LoggedMessage(conversationId, store.merchantId(), 0, "system", agent.login(), text, event,
                    owner, lang, now, null, null, frame));
        }
        return new OwnerRequest(action, agent.owner(), messages);
    }

    static String event(OwnerRequest.Action action) {
        return switch (action) {
            case TAKE -> JOINED;
            case HAND_BACK -> LEFT;
            case CLOSE -> CLOSED;
        };
    }

    static String text(String event, String lang, String agentName) {
        boolean zh = "zh".equals(lang);
        return switch (event) {
            case JOINED -> zh ? "人工客服" + agentName + "已接入，接下来由" + agentName + "为您服务。"
                    : agentName + " from our team has joined the chat and will help you from here.";
            case LEFT -> zh ? "人工客服已离开，智能助手回来继续为您服务，有问题随时问我。"
                    : "The assistant is back. Ask me anything, any time.";
            default -> zh ? "本次人工服务已结束，感谢您的耐心。如果还有问题，随时告诉我。"
                    : "This conversation with our team has ended. Thank you! If there's anything else, just ask.";
        };
    }
}
