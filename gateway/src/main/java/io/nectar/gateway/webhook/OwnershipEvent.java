package io.nectar.gateway.webhook;

import io.nectar.gateway.conversations.Owner;
import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * The body of the webhook a merchant's system receives for an ownership change, made from the change's
 * system message in the durable log, so every node that drains it makes the same event with the same id
 * ({@code <conversation id>:<seq>}: the merchant's system drops an id it has seen).
 * <pre>
 * {"id":"8f1c…:7","type":"conversation.owner_changed","merchant":"demo","conversationId":"8f1c…","seq":7,
 *  "event":"agent_joined","owner":"agent","agent":{"login":"demo-agent","name":"小李"},"at":"2026-11-24T09:15:02.114Z"}
 * </pre>
 */
public final class OwnershipEvent {

    public static final String TYPE = "conversation.owner_changed";

    private OwnershipEvent() {
    }

    /** Whether a logged message is an ownership change (a system message with an event). */
    public static boolean is(LoggedMessage m) {
        return "system".equals(m.role()) && m.intent() != null && m.source() != null;
    }

    public static String id(LoggedMessage m) {
        return m.conversationId() + ":" + m.seq();
    }

    public static JsonObject body(LoggedMessage m) {
        JsonObject b = new JsonObject().put("id", id(m)).put("type", TYPE).put("merchant", m.merchantId())
                .put("conversationId", m.conversationId()).put("seq", m.seq()).put("event", m.intent())
                .put("owner", Owner.kind(m.source())).put("at", Instant.ofEpochMilli(m.at()).toString());
        JsonObject agent = new JsonObject().put("login", m.messageId());
        String name = m.frame() == null ? null : m.frame().getString("agent");
        if (name != null) {
            agent.put("name", name);
        }
        b.put("agent", agent);
        return b;
    }
}
