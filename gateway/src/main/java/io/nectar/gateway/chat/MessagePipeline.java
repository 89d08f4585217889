package io.nectar.gateway.chat;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.conversations.ConversationStore;
import io.nectar.gateway.conversations.StaleClaimException;
import io.nectar.gateway.conversations.TurnWrite;
import io.nectar.gateway.dialogue.DialogueEngine;
import io.nectar.gateway.dialogue.Turn;
import io.nectar.gateway.dialogue.Understanding;
import io.nectar.gateway.error.ErrorCode;
import io.nectar.gateway.offers.OfferPicker;
import io.nectar.gateway.store.Store;
import io.nectar.nlu.NluException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One shopper message, from text to a committed reply, as a short pipeline of named steps:
 * <ol>
 *   <li>{@link #duplicate}: a message id answered before gets that reply again, nothing else runs;</li>
 *   <li>{@link #understand}: language, intents, entities (inference and search off the event loop);</li>
 *   <li>{@link #converse}: the dialogue engine decides, running the merchant's actions it needs;</li>
 *   <li>{@link #commit}: both frames and the new state go to the conversation store in one write,
 *       which puts them in the durable log; only then is the reply sent.</li>
 * </ol>
 * Runs on the connection's event loop; every step returns a future completed there.
 */
public final class MessagePipeline {

    private static final Logger log = LoggerFactory.getLogger(MessagePipeline.class);

    /** A message waiting on its connection. */
    public record Inbound(String id, String text, long arrivedNanos) {
    }

    /** What became of a message: a frame to send, an error to send, or the loss of the conversation. */
    public sealed interface Outcome {
    }

    /** The reply (or the earlier reply to a repeated id), with its seq. */
    public record Reply(JsonObject frame) implements Outcome {
    }

    /** Not answered: tell the client, who may send it again. */
    public record Refused(ErrorCode code, String message) implements Outcome {
    }

    /** Another connection took the conversation since this one claimed it: nothing was written. */
    public record Taken() implements Outcome {
    }

    /**
     * An agent owns the conversation: the message was stored for the agent and the bot does not answer.
     * The frame ({@code received}) tells the client so.
     */
    public record Forwarded(JsonObject frame) implements Outcome {
    }

    private final GatewayServices services;

    public MessagePipeline(GatewayServices services) {
        this.services = services;
    }

    public Future<Outcome> handle(ChatSession session, Store store, Inbound m, Context context) {
        Outcome earlier = duplicate(session, m);
        if (earlier != null) {
            return Future.succeededFuture(earlier);
        }
        if (session.agentOwned()) {
            // an agent holds the conversation: no dialogue, no actions; the message goes to the agent
            return forward(session, store, m).compose(o -> o != null ? Future.succeededFuture(o) : answer(session, store, m, context));
        }
        return answer(session, store, m, context);
    }

    private Future<Outcome> answer(ChatSession session, Store store, Inbound m, Context context) {
        return understand(store, m, context)
                .compose(u -> u == null ? Future.succeededFuture(overloaded()) : converse(session, store, u)
                        .compose(turn -> services.offers().pick(session, store, turn)
                                .compose(offer -> commit(session, store, m, turn, offer))));
    }

    Outcome duplicate(ChatSession session, Inbound m) {
        JsonObject earlier = session.answered(m.id()) ? session.replyTo(m.id()) : null;
        if (earlier == null) {
            return null;
        }
        if ("message".equals(earlier.getString("type"))) {
            // a message the agent got (no bot reply): acknowledged again
            return new Forwarded(received(m.id(), earlier.getLong("seq", 0L)).put("duplicate", true));
        }
        return new Reply(earlier.copy().put("duplicate", true));
    }

    /** The acknowledgement of a message kept for the agent who owns the conversation. */
    static JsonObject received(String messageId, long seq) {
        return new JsonObject().put("type", "received").put("replyTo", messageId).put("seq", seq).put("owner", "agent");
    }

    /**
     * Stores the message alone for the agent; {@code null} when no agent owns the conversation any more
     * (handed back meanwhile): then the bot answers it.
     */
    private Future<Outcome> forward(ChatSession session, Store store, Inbound m) {
        long now = System.currentTimeMillis();
        JsonObject in = ReplyFrames.shopper(m.id(), m.text(), now);
        TurnWrite write = TurnWrite.shopperOnly(m.id(), in, ReplyFrames.shopperRecord(session.conversationId(), store.merchantId(),
                m.id(), m.text(), session.language(), now, in));
        return commitOrWait(session, write, 0).<Outcome>map(c -> {
            if (c.duplicate()) {
                return duplicateOf(session, m, c.duplicateOf(), null);
            }
            if (c.unheld()) {
                session.owner(io.nectar.gateway.conversations.Owner.BOT);
                return null;
            }
            return held(session, store, m, in, c);
        }).recover(failure -> Future.succeededFuture(refusal(session, failure)));
    }

    /**
     * Commits a turn. A claim found stale is tried again after 0.3 s and 1 s before the connection steps
     * aside: the claim that superseded it may be one whose connection had already closed, which gives the
     * conversation back as soon as its node notices (decision 99). Retrying is safe: a stale commit writes
     * nothing, and the message id makes a late success count once.
     */
    private Future<ConversationStore.Committed> commitOrWait(ChatSession session, TurnWrite write, int attempt) {
        return services.conversations().commit(session.claim(), write).recover(failure -> {
            io.vertx.core.Context here = io.vertx.core.Vertx.currentContext();
            if (!(failure instanceof StaleClaimException) || attempt >= STALE_RETRY_MILLIS.length || here == null) {
                return Future.failedFuture(failure);
            }
            return here.owner().timer(STALE_RETRY_MILLIS[attempt], java.util.concurrent.TimeUnit.MILLISECONDS)
                    .compose(v -> commitOrWait(session, write, attempt + 1));
        });
    }

    private static final long[] STALE_RETRY_MILLIS = {300, 1000};

    private Outcome held(ChatSession session, Store store, Inbound m, JsonObject in, ConversationStore.Committed c) {
        JsonObject stored = in.copy().put("seq", c.shopperSeq());
        session.owner(c.heldBy());
        session.committedHeld(m.id(), stored);
        services.metrics().messageHeld();
        services.conversationEvents().held(store, session, stored, c.heldBy());
        return new Forwarded(received(m.id(), c.shopperSeq()));
    }

    private static Outcome duplicateOf(ChatSession session, Inbound m, long seq, JsonObject reply) {
        JsonObject earlier = session.replyTo(m.id());
        if (earlier != null && "message".equals(earlier.getString("type"))) {
            return new Forwarded(received(m.id(), seq).put("duplicate", true));
        }
        if (earlier != null) {
            return new Reply(earlier.copy().put("duplicate", true));
        }
        return reply == null ? new Forwarded(received(m.id(), seq).put("duplicate", true))
                : new Reply(reply.copy().put("seq", seq).put("duplicate", true));
    }

    private Outcome refusal(ChatSession session, Throwable failure) {
        if (failure instanceof StaleClaimException) {
            log.info("{}; this connection steps aside", failure.getMessage());
            return new Taken();
        }
        log.warn("conversation {}: the message could not be saved ({}); the shopper is asked to retry",
                session.conversationId(), failure.toString());
        return new Refused(ErrorCode.UNAVAILABLE, "we could not save your conversation just now; please send that again in a moment");
    }

    /** The NLU's reading of the message; {@code null} when the node is too busy to read it at all. */
    Future<Understanding> understand(Store store, Inbound m, Context context) {
        CompletableFuture<Understanding> reading = services.knowledge().understand(store.merchantId(), m.text());
        if (reading.isDone() && !reading.isCompletedExceptionally()) {
            return Future.succeededFuture(reading.join()); // asked before in these words: no hop through the context's queue
        }
        return Future.fromCompletionStage(reading, context)
                .recover(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof RejectedExecutionException
                            || cause instanceof NluException n && n.code() == NluException.Code.OVERLOADED) {
                        return Future.succeededFuture(null);
                    }
                    return Future.failedFuture(cause);
                });
    }

    private static Outcome overloaded() {
        return new Refused(ErrorCode.OVERLOADED, "we are very busy right now; please retry in a moment");
    }

    /**
     * Runs the dialogue: the engine decides on this event loop; when a flow needs the merchant's systems
     * the action runs (a webhook, or the demo backend at once) and the engine continues with its result.
     */
    Future<Turn> converse(ChatSession session, Store store, Understanding u) {
        DialogueEngine engine = services.dialogue();
        if (session.language() != null && !session.language().equals(u.lang()) && u.languageNeutral()) {
            u = u.inLanguage(session.language()); // "DX1001" answers in the language of the conversation
        }
        Turn turn = engine.begin(store, session.dialogue(), u, session.conversationId());
        return drive(engine, store, turn).map(turn);
    }

    private Future<Void> drive(DialogueEngine engine, Store store, Turn turn) {
        if (turn.pending() == null) {
            return Future.succeededFuture();
        }
        if (turn.actionsRunCount() >= DialogueEngine.MAX_ACTIONS_PER_MESSAGE) {
            engine.abandon(turn);
            return Future.succeededFuture();
        }
        long t0 = System.nanoTime();
        String kind = store.flows().actions().containsKey(turn.pending().action())
                ? store.flows().actions().get(turn.pending().action()).type() : "none";
        return services.actions().run(store, turn.pending()).compose(result -> {
            services.metrics().action(kind, result.status().name().toLowerCase(Locale.ROOT), System.nanoTime() - t0);
            engine.resume(turn, result);
            return drive(engine, store, turn);
        });
    }

    /**
     * Writes the answered message (with its offer, if any); the reply may be sent once this succeeds. The
     * shopper's message is stamped with its arrival, the reply with now (their difference is the bot's
     * reply time, docs/metrics.md).
     */
    Future<Outcome> commit(ChatSession session, Store store, Inbound m, Turn t, OfferPicker.Offer offer) {
        long now = services.clock().millis();
        long arrived = now - Math.max(0, (System.nanoTime() - m.arrivedNanos()) / 1_000_000);
        String conversation = session.conversationId();
        JsonObject in = ReplyFrames.shopper(m.id(), m.text(), arrived);
        JsonObject out = ReplyFrames.reply(store, m.id(), t, now);
        if (offer != null) {
            out.put("offer", offer.toJson());
        }
        TurnWrite write = new TurnWrite(m.id(), in,
                ReplyFrames.shopperRecord(conversation, store.merchantId(), m.id(), m.text(), t.lang(), arrived, in)
                        .withShopper(session.shopperId()),
                out, ReplyFrames.replyRecord(conversation, store.merchantId(), m.id(), t, now, out).withShopper(session.shopperId()),
                t.state().toJson(), t.lang());
        return commitOrWait(session, write, 0).<Outcome>map(c -> {
            if (c.duplicate()) {
                return duplicateOf(session, m, c.duplicateOf(), out);
            }
            if (c.held()) {
                // an agent took the conversation while this reply was being written: the bot stays silent
                // (what it would have said is the first suggestion the agent sees)
                return held(session, store, m, in, c);
            }
            // the frames are this message's own and the store kept copies: stamped in place, not copied again
            JsonObject sent = out.put("seq", c.replySeq());
            JsonObject echoed = in.put("seq", c.shopperSeq());
            session.committed(m.id(), echoed, sent, t.state(), t.lang());
            if (t.handoffReason() != null && !t.handoffUnavailable()) {
                services.metrics().handoff(t.handoffReason());
            }
            services.metrics().replyLatency(t.source(), System.nanoTime() - m.arrivedNanos());
            if (offer != null) {
                services.offers().shown(session, offer, now);
            }
            services.conversationEvents().committed(store, session, java.util.List.of(echoed, sent));
            return new Reply(sent);
        }).recover(failure -> Future.succeededFuture(refusal(session, failure)));
    }

    /** The store of conversations the pipeline commits to. */
    ConversationStore store() {
        return services.conversations();
    }
}
