package io.nectar.gateway.workbench;

import io.nectar.gateway.auth.AgentSession;
import io.nectar.gateway.conversations.OwnerRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's workbench socket ({@code /ws/agent}, opened with the session cookie). The agent asks
 * ({@code queue}, {@code open}, {@code take}, {@code handback}, {@code close}, {@code send}); every answer
 * echoes the request's {@code ref}. Events (new frames of the merchant's conversations, ownership changes,
 * the agent's assist panes) are pushed as they happen. A bad frame gets an {@code error} and the socket
 * stays open. See docs/protocol.md, "Agent workbench".
 */
final class AgentSocket {

    private static final Logger log = LoggerFactory.getLogger(AgentSocket.class);
    static final int MAX_FRAME_CHARS = 8_000;
    /** Events queued for a slow socket before it is closed (the page reconnects and reloads). */
    static final int MAX_PENDING_BYTES = 1 << 20;

    private final ServerWebSocket ws;
    private final Workbench workbench;
    private final AgentSession agent;
    private final Context context;
    private volatile boolean closed;

    AgentSocket(ServerWebSocket ws, Workbench workbench, AgentSession agent) {
        this.ws = ws;
        this.workbench = workbench;
        this.agent = agent;
        this.context = Vertx.currentContext();
    }

    AgentSession agent() {
        return agent;
    }

    void start() {
        workbench.register(this);
        ws.closeHandler(v -> {
            closed = true;
            workbench.unregister(this);
        });
        ws.exceptionHandler(t -> log.debug("agent socket: {}", t.toString()));
        ws.textMessageHandler(this::onText);
        send(new JsonObject().put("type", "hello").put("agent", agent.toJson()));
        workbench.queue(agent).onComplete(ar -> send(ar.succeeded() ? ar.result() : unavailable(null)));
    }

    /** An event for this agent, from any thread. */
    void push(JsonObject event) {
        if (!closed) {
            context.runOnContext(v -> send(event));
        }
    }

    private void send(JsonObject frame) {
        if (closed) {
            return;
        }
        if (ws.writeQueueFull()) {
            log.info("agent {} of {} reads too slowly; closing so the page reloads", agent.login(), agent.merchant());
            ws.close((short) 1013, "too slow");
            return;
        }
        ws.writeTextMessage(frame.encode());
    }

    private void onText(String text) {
        JsonObject f;
        try {
            if (text.length() > MAX_FRAME_CHARS) {
                throw new DecodeException("frame too long");
            }
            f = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            send(error(null, "bad_frame", "send one JSON object per frame (at most " + MAX_FRAME_CHARS + " characters)"));
            return;
        }
        Object ref = f.getValue("ref");
        String type = f.getString("type", "");
        String id = f.getValue("conversationId") instanceof String s ? s : null;
        Future<JsonObject> answer;
        if (!"queue".equals(type) && (id == null || id.isBlank() || id.length() > 100)) {
            answer = Future.succeededFuture(error(null, "bad_frame", "'" + type + "' needs a conversationId"));
        } else {
            answer = switch (type) {
                case "queue" -> workbench.queue(agent);
                case "open" -> workbench.open(agent, id);
                case "take" -> workbench.change(agent, id, OwnerRequest.Action.TAKE);
                case "handback" -> workbench.change(agent, id, OwnerRequest.Action.HAND_BACK);
                case "close" -> workbench.change(agent, id, OwnerRequest.Action.CLOSE);
                case "send" -> workbench.send(agent, id, f.getValue("text") instanceof String s ? s : null,
                        f.getValue("assistId") instanceof String s ? s : null, f.getValue("suggestionId") instanceof String s ? s : null);
                default -> Future.succeededFuture(error(null, "bad_frame", "unknown frame type '" + type + "'"));
            };
        }
        answer.onComplete(ar -> {
            JsonObject out = ar.succeeded() ? ar.result() : unavailable(ar.cause());
            send(ref == null ? out : out.copy().put("ref", ref));
        });
    }

    private static JsonObject error(String conversationId, String code, String message) {
        return new JsonObject().put("type", "error").put("code", code).put("conversationId", conversationId).put("message", message);
    }

    private JsonObject unavailable(Throwable t) {
        if (t != null) {
            log.warn("agent {} of {}: {}", agent.login(), agent.merchant(), t.toString());
        }
        return error(null, "unavailable", "that did not work just now; try again in a moment");
    }
}
