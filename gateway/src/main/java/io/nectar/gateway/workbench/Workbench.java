package io.nectar.gateway.workbench;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.assist.Assist;
import io.nectar.gateway.assist.AssistEngine;
import io.nectar.gateway.assist.Suggestion;
import io.nectar.gateway.assist.SuggestionLog;
import io.nectar.gateway.auth.AgentSession;
import io.nectar.gateway.auth.AgentSignIn;
import io.nectar.gateway.auth.TtlStore;
import io.nectar.gateway.chat.ChatSession;
import io.nectar.gateway.chat.ConversationEvents;
import io.nectar.gateway.conversations.ConversationStore;
import io.nectar.gateway.conversations.Owner;
import io.nectar.gateway.conversations.OwnerChange;
import io.nectar.gateway.conversations.OwnerRequest;
import io.nectar.gateway.conversations.Peek;
import io.nectar.gateway.dialogue.DialogueState;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;

/**
 * The agents' workbench on one node: who is signed in ({@link AgentSignIn}), the agents' open sockets, what
 * they do (take, hand back, close, send) and what they see live: every committed message of their
 * merchant's conversations and, for a conversation they own, the assist pane of each shopper message. Events
 * travel between nodes on the {@link WorkbenchBus}; the conversation itself only ever changes through the
 * {@link ConversationStore}, whose one owner per conversation every path respects. Assist panes are kept in
 * the {@link TtlStore} (Redis when shared), so an agent's send on another node finds the pane it used.
 * A merchant's agents only ever see, and act on, that merchant's conversations.
 */
public final class Workbench implements ConversationEvents, WorkbenchBus.Receiver {

    private static final Logger log = LoggerFactory.getLogger(Workbench.class);
    /** How long an assist pane stays usable. */
    static final Duration PANE_TTL = Duration.ofHours(2);
    /** Live conversations listed: active in the last 30 minutes, at most 50. */
    static final long LIVE_MILLIS = Duration.ofMinutes(30).toMillis();
    static final int LIVE_MAX = 50;
    /** The longest message an agent may send. */
    public static final int MAX_TEXT_CHARS = 2_000;

    /** Lists a merchant's live conversations (embedded memory, or PostgreSQL when shared). */
    @FunctionalInterface
    public interface LiveConversations {
        Future<JsonArray> list(String merchant, long sinceMillis, int limit);
    }

    private final GatewayServices services;
    private final Vertx vertx;
    private final AgentSignIn signIn;
    private final AssistEngine engine;
    private final WorkbenchBus bus;
    private final SuggestionLog suggestions;
    private final TtlStore panes;
    private final LiveConversations live;
    private final Map<String, Set<AgentSocket>> sockets = new ConcurrentHashMap<>();

    public Workbench(GatewayServices services, Vertx vertx, AgentSignIn signIn, WorkbenchBus bus, TtlStore panes,
                     LiveConversations live, Executor assistExecutor) {
        this.services = services;
        this.vertx = vertx;
        this.signIn = signIn;
        this.bus = bus;
        this.panes = panes;
        this.live = live;
        this.suggestions = new SuggestionLog(services.metrics().registry(),
                () -> services.pg() == null ? null : services.pg().database(), services.clock());
        this.engine = new AssistEngine((store, call) -> services.actions().run(store, call).toCompletionStage().toCompletableFuture(),
                assistExecutor);
    }

    public Future<Void> start() {
        return bus.start(this, () -> sockets.keySet());
    }

    public AgentSignIn signIn() {
        return signIn;
    }

    public SuggestionLog suggestions() {
        return suggestions;
    }

    public AssistEngine engine() {
        return engine;
    }

    void register(AgentSocket s) {
        boolean first = !sockets.containsKey(s.agent().merchant());
        sockets.computeIfAbsent(s.agent().merchant(), m -> new CopyOnWriteArraySet<>()).add(s);
        if (first) {
            bus.watching(s.agent().merchant());
        }
    }

    void unregister(AgentSocket s) {
        // the merchant stops being watched from here once its last workbench on this node closes
        sockets.computeIfPresent(s.agent().merchant(), (m, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    // ---- what the bus delivers: to this node's agents of the merchant (or the one agent named)

    @Override
    public void receive(String merchant, String toLogin, JsonObject event) {
        Set<AgentSocket> set = sockets.get(merchant);
        if (set == null) {
            return;
        }
        for (AgentSocket s : set) {
            if (toLogin == null || toLogin.equals(s.agent().login())) {
                s.push(event);
            }
        }
    }

    @Override
    public void resync() {
        sockets.values().forEach(set -> set.forEach(s -> s.push(new JsonObject().put("type", "resync"))));
    }

    // ---- what the shoppers' connections report

    @Override
    public void committed(Store store, ChatSession session, java.util.List<JsonObject> frames) {
        if (bus.watched(store.merchantId())) {
            bus.publish(store.merchantId(), null, frames(session.conversationId(), session.ownerKind(), frames));
        }
    }

    @Override
    public void held(Store store, ChatSession session, JsonObject shopperFrame, String owner) {
        String merchant = store.merchantId();
        bus.publish(merchant, null, frames(session.conversationId(), "agent", java.util.List.of(shopperFrame)));
        String login = Owner.login(owner);
        if (login == null || services.knowledge() == null) {
            return;
        }
        DialogueState state = session.dialogue();
        String conversation = session.conversationId();
        long seq = shopperFrame.getLong("seq", 0L);
        services.knowledge().understand(merchant, shopperFrame.getString("text", ""))
                .thenCompose(u -> engine.assist(store, conversation, seq, state, u))
                .whenComplete((a, failure) -> {
                    if (failure != null) {
                        log.warn("conversation {}: no assist pane ({})", conversation, failure.toString());
                        return;
                    }
                    vertx.runOnContext(v -> showPane(merchant, login, a));
                });
    }

    private void showPane(String merchant, String login, Assist a) {
        String openKey = "pane-open:" + a.conversationId();
        panes.get(openKey).compose(previous -> decidePrevious(merchant, previous))
                .compose(v -> panes.put("pane:" + a.assistId(), a.toJson().put("merchant", merchant), PANE_TTL))
                .compose(v -> panes.put(openKey, new JsonObject().put("assistId", a.assistId()), PANE_TTL))
                .onComplete(ar -> {
                    suggestions.shown(merchant, a);
                    bus.publish(merchant, login, new JsonObject().put("type", "assist").put("assist", a.toClient()));
                });
    }

    /** The pane still open for a conversation is ignored: a newer one replaces it, or the agent left. */
    private Future<Void> decidePrevious(String merchant, JsonObject open) {
        if (open == null) {
            return Future.succeededFuture();
        }
        return panes.get("pane:" + open.getString("assistId")).compose(p -> {
            if (p != null && merchant.equals(p.getString("merchant"))) {
                logged(suggestions.decided(merchant, Assist.fromJson(p), null, SuggestionLog.Outcome.IGNORED, null));
                return panes.delete("pane:" + open.getString("assistId"));
            }
            return Future.succeededFuture();
        });
    }

    static JsonObject frames(String conversationId, String owner, java.util.List<JsonObject> frames) {
        return new JsonObject().put("type", "frames").put("conversationId", conversationId).put("owner", owner)
                .put("frames", new JsonArray(new java.util.ArrayList<>(frames)));
    }

    // ---- what agents do (called on the agent socket's event loop)

    /** The merchant's queue of handed-off conversations and its live conversations. */
    Future<JsonObject> queue(AgentSession agent) {
        long now = System.currentTimeMillis();
        return services.handoffQueue().pending(agent.merchant()).compose(handoffs -> {
            JsonArray queue = new JsonArray();
            handoffs.forEach(h -> {
                JsonArray t = h.transcript();
                JsonObject last = t.isEmpty() ? null : t.getJsonObject(t.size() - 1);
                queue.add(new JsonObject().put("conversationId", h.conversationId()).put("reason", h.reason())
                        .put("language", h.language()).put("at", h.at()).put("waitingSeconds", Math.max(0, (now - h.at()) / 1000))
                        .put("lastMessage", last == null ? null : last.getString("text")).put("takenBy", h.takenBy()));
            });
            return live.list(agent.merchant(), now - LIVE_MILLIS, LIVE_MAX)
                    .map(l -> new JsonObject().put("type", "queue").put("handoffs", queue).put("live", l));
        });
    }

    /** A conversation in full for the agent: transcript, owner, dialogue state and slots, the handoff's reason. */
    Future<JsonObject> open(AgentSession agent, String conversationId) {
        return services.conversations().peek(agent.merchant(), conversationId).compose(p -> {
            if (p == null) {
                return Future.succeededFuture(notFound(conversationId));
            }
            JsonObject out = conversation(p);
            if (!agent.owner().equals(p.owner())) {
                return Future.succeededFuture(out);
            }
            // the agent owns it: the open pane comes along
            return panes.get("pane-open:" + conversationId)
                    .compose(open -> open == null ? Future.succeededFuture(null) : panes.get("pane:" + open.getString("assistId")))
                    .map(pane -> pane == null || !agent.merchant().equals(pane.getString("merchant")) ? out
                            : out.put("assist", Assist.fromJson(pane).toClient()));
        });
    }

    static JsonObject conversation(Peek p) {
        JsonArray transcript = new JsonArray();
        p.window().forEach(transcript::add);
        DialogueState d = p.dialogue();
        return new JsonObject().put("type", "conversation").put("conversationId", p.conversationId())
                .put("owner", Owner.kind(p.owner())).put("ownerLogin", Owner.login(p.owner())).put("language", p.language())
                .put("frames", transcript).put("dialogue", d.toJson())
                .put("handoffReason", d.handoff == null ? null : d.handoff.getString("reason"));
    }

    static JsonObject notFound(String conversationId) {
        return new JsonObject().put("type", "error").put("code", "not_found").put("conversationId", conversationId)
                .put("message", "no such conversation (it may have expired)");
    }

    /** Take, hand back or close; every agent of the merchant hears of it. */
    Future<JsonObject> change(AgentSession agent, String conversationId, OwnerRequest.Action action) {
        Store store = services.knowledge().store(agent.merchant());
        OwnerRequest request = SystemLines.request(store, conversationId, agent, action);
        return services.conversations().changeOwner(agent.merchant(), conversationId, request).compose(c -> {
            if (c.status() == OwnerChange.Status.NONE) {
                return Future.succeededFuture(notFound(conversationId));
            }
            if (!c.changed()) {
                return Future.succeededFuture(new JsonObject().put("type", "error").put("code", c.status().name().toLowerCase())
                        .put("conversationId", conversationId).put("owner", Owner.kind(c.owner()))
                        .put("ownerLogin", Owner.login(c.owner())).put("message", refusal(c)));
            }
            JsonObject event = new JsonObject().put("type", "owner").put("conversationId", conversationId)
                    .put("owner", Owner.kind(c.owner())).put("ownerLogin", Owner.login(c.owner())).put("by", agent.login())
                    .put("frame", c.frame());
            bus.publish(agent.merchant(), null, event);
            Future<Void> closed = action == OwnerRequest.Action.TAKE
                    ? services.handoffQueue().close(agent.merchant(), conversationId).<Void>mapEmpty().recover(t -> Future.succeededFuture())
                    : panes.get("pane-open:" + conversationId).compose(open -> decidePrevious(agent.merchant(), open))
                    .compose(v -> panes.delete("pane-open:" + conversationId));
            return closed.map(event);
        });
    }

    private static String refusal(OwnerChange c) {
        return switch (c.status()) {
            case TAKEN -> "another agent (" + Owner.login(c.owner()) + ") has this conversation";
            case SAME -> "you have this conversation already";
            case NOT_OWNER -> "you do not hold this conversation";
            default -> "not possible";
        };
    }

    /**
     * Sends the agent's text to the shopper; {@code assistId}/{@code suggestionId} name the suggestion it came
     * from ({@code null}: the agent's own words). A {@code flow} suggestion moves the conversation's flow on;
     * an {@code action} runs the merchant's flow with its slots and sends what it says.
     */
    Future<JsonObject> send(AgentSession agent, String conversationId, String text, String assistId, String suggestionId) {
        Store store = services.knowledge().store(agent.merchant());
        Future<JsonObject> pane = assistId == null ? Future.succeededFuture(null) : panes.get("pane:" + assistId)
                .map(p -> p != null && agent.merchant().equals(p.getString("merchant")) && conversationId.equals(p.getString("conversationId"))
                        ? p : null);
        return pane.compose(p -> {
            Assist a = p == null ? null : Assist.fromJson(p);
            Suggestion s = a == null || suggestionId == null ? null : a.suggestion(suggestionId);
            if (s != null && Suggestion.ACTION.equals(s.kind()) && (text == null || text.isBlank())) {
                return runAction(agent, store, a, s);
            }
            if (text == null || text.isBlank() || text.length() > MAX_TEXT_CHARS) {
                return Future.succeededFuture(new JsonObject().put("type", "error").put("code", "bad_text")
                        .put("message", "a message needs 1 to " + MAX_TEXT_CHARS + " characters"));
            }
            JsonObject dialogue = s != null && Suggestion.FLOW.equals(s.kind()) && text.equals(s.text()) ? s.dialogue() : null;
            return deliver(agent, store, conversationId, text, dialogue).compose(sent -> decide(agent, a, s, text).map(sent));
        }).recover(t -> {
            if (t instanceof ConversationStore.NotOwnerException n) {
                return Future.succeededFuture(new JsonObject().put("type", "error").put("code", "not_owner")
                        .put("conversationId", conversationId).put("owner", Owner.kind(n.owner())).put("ownerLogin", Owner.login(n.owner()))
                        .put("message", "take the conversation before writing in it"));
            }
            return Future.failedFuture(t);
        });
    }

    private Future<JsonObject> runAction(AgentSession agent, Store store, Assist a, Suggestion s) {
        DialogueState before = a.dialogueBefore() == null ? new DialogueState() : DialogueState.fromJson(a.dialogueBefore());
        return Future.fromCompletionStage(services.knowledge().understand(agent.merchant(), a.messageText()), vertx.getOrCreateContext())
                .compose(u -> Future.fromCompletionStage(engine.execute(store, a.conversationId(), before, u, s.flow()),
                        vertx.getOrCreateContext()))
                .compose(done -> deliver(agent, store, a.conversationId(), done.text(), done.dialogue()))
                .compose(sent -> decide(agent, a, s, null).map(sent));
    }

    private Future<JsonObject> deliver(AgentSession agent, Store store, String conversationId, String text, JsonObject dialogue) {
        long now = System.currentTimeMillis();
        JsonObject frame = new JsonObject().put("type", "agent").put("text", text).put("agent", agent.name()).put("at", now);
        LoggedMessage m = new LoggedMessage(conversationId, agent.merchant(), 0, "agent", null, text, null, agent.owner(),
                null, now, null, dialogue, frame);
        return services.conversations().append(agent.merchant(), conversationId, m, agent.owner(), dialogue).map(stored -> {
            if (stored == null) {
                return notFound(conversationId);
            }
            bus.publish(agent.merchant(), null, frames(conversationId, "agent", java.util.List.of(stored)));
            return new JsonObject().put("type", "sent").put("conversationId", conversationId).put("seq", stored.getLong("seq"));
        });
    }

    /** Logs what the agent did with the open pane: a suggestion sent as is or edited, or their own words. */
    private Future<Void> decide(AgentSession agent, Assist a, Suggestion s, String text) {
        if (a == null) {
            return Future.succeededFuture();
        }
        SuggestionLog.Outcome o = s == null ? SuggestionLog.Outcome.IGNORED
                : text == null || text.equals(s.text()) ? SuggestionLog.Outcome.SENT : SuggestionLog.Outcome.EDITED;
        return panes.get("pane:" + a.assistId()).compose(still -> {
            if (still == null) {
                return Future.<Void>succeededFuture(); // decided already (another message of the same pane)
            }
            logged(suggestions.decided(agent.merchant(), a, o == SuggestionLog.Outcome.IGNORED ? null : s, o, agent.login()));
            return panes.delete("pane:" + a.assistId());
        });
    }

    /** A pane's row not written costs the merchant's numbers one pane, never the agent's message: logged. */
    private static void logged(Future<Void> write) {
        write.onFailure(t -> log.warn("assist outcome not recorded: {}", t.toString()));
    }

    public Future<Void> close() {
        return bus.close();
    }
}
