package io.nectar.gateway.pg;

import io.nectar.gateway.metrics.Counters;
import io.nectar.gateway.metrics.GatewayMetrics;
import io.nectar.gateway.transcript.LoggedMessage;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes drained log messages to PostgreSQL, a batch in one transaction, idempotently: a message is
 * identified by {@code (conversation_id, seq)} and written once however often it arrives; a conversation
 * row is created or advanced (last seq, last activity, language of its newest message); a bot message with
 * a {@code handoffReason} opens a handoff (once per message, at most one open per conversation); the
 * newest {@code dialogue} of a conversation with an open handoff replaces the handoff's dialogue. Each
 * step is one {@code executeBatch} (one round trip). The future succeeds only after the commit.
 */
public final class PgTranscriptSink implements TranscriptSink {

    static final String INSERT_MESSAGE = "INSERT INTO messages (conversation_id, seq, merchant_id, role, message_id, text, intent, "
            + "source, language, at, frame) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
            + "ON CONFLICT (conversation_id, seq) DO NOTHING";
    static final String UPSERT_CONVERSATION = "INSERT INTO conversations AS c (id, merchant_id, created_at, updated_at, language, last_seq) "
            + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET "
            + "created_at = LEAST(c.created_at, EXCLUDED.created_at), "
            + "updated_at = GREATEST(c.updated_at, EXCLUDED.updated_at), "
            + "language = CASE WHEN EXCLUDED.last_seq >= c.last_seq THEN COALESCE(EXCLUDED.language, c.language) ELSE c.language END, "
            + "last_seq = GREATEST(c.last_seq, EXCLUDED.last_seq)";
    /**
     * A conversation's facts (docs/metrics.md), each idempotent so a batch written again changes nothing:
     * its shopper, the first shopper, bot and agent message times, when it was handed off, its topic (the
     * intent of its first bot answer from the FAQ, a product, a promotion or a flow) and whether it had a
     * complaint (anger words).
     */
    static final String UPDATE_FACTS = "UPDATE conversations AS c SET shopper_id = COALESCE(c.shopper_id, $2), "
            + "first_shopper_at = LEAST(c.first_shopper_at, $3), first_bot_at = LEAST(c.first_bot_at, $4), "
            + "first_agent_at = LEAST(c.first_agent_at, $5), handoff_at = LEAST(c.handoff_at, $6), "
            + "topic = CASE WHEN $7::text IS NOT NULL AND (c.topic_seq IS NULL OR $8 < c.topic_seq) THEN $7 ELSE c.topic END, "
            + "topic_seq = CASE WHEN $7::text IS NOT NULL AND (c.topic_seq IS NULL OR $8 < c.topic_seq) THEN $8 ELSE c.topic_seq END, "
            + "complaint = c.complaint OR $9 WHERE c.id = $1";
    static final java.util.Set<String> TOPIC_SOURCES = java.util.Set.of("faq", "product", "promotion", "flow");
    static final String OPEN_HANDOFF = "INSERT INTO handoffs (merchant_id, conversation_id, reason, language, opened_at, opened_seq, "
            + "dialogue, dialogue_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $6) ON CONFLICT DO NOTHING";
    static final String UPDATE_DIALOGUE = "UPDATE handoffs SET dialogue = $3, dialogue_seq = $4 WHERE conversation_id = $1 "
            + "AND merchant_id = $2 AND closed_at IS NULL AND (dialogue_seq IS NULL OR dialogue_seq < $4)";

    static final String OWNER = "UPDATE conversations SET owner = $2 WHERE id = $1";
    static final String REOPENED = "UPDATE conversations SET owner = 'bot' WHERE id = ANY($1) AND owner = 'closed'";
    static final String HANDOFF_TAKEN = "UPDATE handoffs SET taken_by = $2, taken_at = $3 WHERE conversation_id = $1 AND closed_at IS NULL";
    static final String HANDOFF_OVER = "UPDATE handoffs SET closed_at = $2 WHERE conversation_id = $1 AND closed_at IS NULL";

    private final Database db;
    private volatile java.util.function.Predicate<String> hasWebhook = m -> false;
    private final LongAdder batches = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public PgTranscriptSink(Database db) {
        this.db = db;
    }

    /** Which merchants have a webhook: their ownership changes go into the webhook outbox. */
    public void webhooks(java.util.function.Predicate<String> merchantHasWebhook) {
        this.hasWebhook = merchantHasWebhook;
    }

    /** Registers the sink's counters. */
    public void metrics(GatewayMetrics metrics) {
        Counters.register(metrics, "nectar_pg_sink_batches", "Transcript batches committed to PostgreSQL", batches::sum);
        Counters.register(metrics, "nectar_pg_sink_messages", "Messages in transcript batches committed to PostgreSQL (repeats included)", rows::sum);
        Counters.register(metrics, "nectar_pg_sink_failures", "Transcript batches that failed (retried by the drainer)", failed::sum);
    }

    @Override
    public Future<Void> write(List<LoggedMessage> batch) {
        if (batch.isEmpty()) {
            return Future.succeededFuture();
        }
        List<LoggedMessage> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing(LoggedMessage::conversationId).thenComparingLong(LoggedMessage::seq));
        for (LoggedMessage m : ordered) {
            if (m.conversationId() == null || m.merchantId() == null || m.role() == null || m.seq() < 1) {
                return Future.failedFuture(new IllegalArgumentException("a logged message needs a conversation, a merchant, a role "
                        + "and a seq >= 1: " + m.toJson().encode()));
            }
        }
        java.util.function.Predicate<String> webhook = hasWebhook;
        return db.inTransaction(conn -> writeAll(conn, ordered, webhook)).andThen(ar -> {
            if (ar.succeeded()) {
                batches.increment();
                rows.add(batch.size());
            } else {
                failed.increment();
            }
        });
    }

    private static Future<Void> writeAll(SqlConnection conn, List<LoggedMessage> batch, java.util.function.Predicate<String> webhook) {
        List<Tuple> messages = new ArrayList<>(batch.size());
        Map<String, Tuple> conversations = new LinkedHashMap<>();
        Map<String, long[]> spans = new LinkedHashMap<>();      // conversation -> [min at, max at, max seq]
        Map<String, String> languages = new LinkedHashMap<>();  // conversation -> language of its newest message
        List<Tuple> handoffs = new ArrayList<>();
        Map<String, Tuple> dialogues = new LinkedHashMap<>();   // conversation -> its newest dialogue
        Map<String, Facts> facts = new LinkedHashMap<>();
        for (LoggedMessage m : batch) {
            facts.computeIfAbsent(m.conversationId(), k -> new Facts()).add(m);
            messages.add(Tuple.tuple().addString(m.conversationId()).addLong(m.seq()).addString(m.merchantId())
                    .addString(m.role()).addString(m.messageId()).addString(m.text()).addString(m.intent())
                    .addString(m.source()).addString(m.language()).addOffsetDateTime(time(m.at())).addValue(m.frame()));
            long[] span = spans.computeIfAbsent(m.conversationId(), k -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE, 0});
            span[0] = Math.min(span[0], m.at());
            span[1] = Math.max(span[1], m.at());
            if (m.seq() >= span[2]) {
                span[2] = m.seq();
                if (m.language() != null) {
                    languages.put(m.conversationId(), m.language());
                }
            }
            if (m.handoffReason() != null) {
                handoffs.add(Tuple.tuple().addString(m.merchantId()).addString(m.conversationId()).addString(m.handoffReason())
                        .addString(m.language()).addOffsetDateTime(time(m.at())).addLong(m.seq()).addValue(m.dialogue()));
            }
            if (m.dialogue() != null) {
                dialogues.put(m.conversationId(), Tuple.tuple().addString(m.conversationId()).addString(m.merchantId())
                        .addValue(m.dialogue()).addLong(m.seq()));
            }
        }
        for (LoggedMessage m : batch) {
            long[] span = spans.get(m.conversationId());
            conversations.putIfAbsent(m.conversationId(), Tuple.tuple().addString(m.conversationId()).addString(m.merchantId())
                    .addOffsetDateTime(time(span[0])).addOffsetDateTime(time(span[1]))
                    .addString(languages.get(m.conversationId())).addLong(span[2]));
        }
        // ownership changes (in seq order): the conversation's owner, the handoff taken or over, the webhook outbox
        List<Tuple> owners = new ArrayList<>();
        List<Tuple> taken = new ArrayList<>();
        List<Tuple> over = new ArrayList<>();
        List<Tuple> events = new ArrayList<>();
        java.util.Set<String> answeredByBot = new java.util.LinkedHashSet<>();
        Map<String, Long> lastChange = new LinkedHashMap<>();
        for (LoggedMessage m : batch) {
            if (io.nectar.gateway.webhook.OwnershipEvent.is(m)) {
                lastChange.put(m.conversationId(), m.seq());
                owners.add(Tuple.of(m.conversationId(), m.source()));
                if (io.nectar.gateway.conversations.Owner.isAgent(m.source())) {
                    taken.add(Tuple.tuple().addString(m.conversationId()).addString(m.messageId()).addOffsetDateTime(time(m.at())));
                } else {
                    over.add(Tuple.tuple().addString(m.conversationId()).addOffsetDateTime(time(m.at())));
                }
                if (webhook.test(m.merchantId())) {
                    events.add(io.nectar.gateway.webhook.PgOutbox.event(io.nectar.gateway.webhook.OwnershipEvent.id(m), m.merchantId(),
                            io.nectar.gateway.webhook.OwnershipEvent.body(m).encode()));
                }
            }
        }
        for (LoggedMessage m : batch) {
            if ("bot".equals(m.role()) && m.seq() > lastChange.getOrDefault(m.conversationId(), 0L)) {
                answeredByBot.add(m.conversationId());
            }
        }
        Future<?> f = conn.preparedQuery(INSERT_MESSAGE).executeBatch(messages)
                .compose(r -> conn.preparedQuery(UPSERT_CONVERSATION).executeBatch(new ArrayList<>(conversations.values())))
                .compose(r -> {
                    List<Tuple> rows = new ArrayList<>();
                    facts.forEach((id, x) -> rows.add(x.tuple(id)));
                    return conn.preparedQuery(UPDATE_FACTS).executeBatch(rows);
                });
        if (!handoffs.isEmpty()) {
            f = f.compose(r -> conn.preparedQuery(OPEN_HANDOFF).executeBatch(handoffs));
        }
        if (!dialogues.isEmpty()) {
            f = f.compose(r -> conn.preparedQuery(UPDATE_DIALOGUE).executeBatch(new ArrayList<>(dialogues.values())));
        }
        if (!owners.isEmpty()) {
            f = f.compose(r -> conn.preparedQuery(OWNER).executeBatch(owners));
        }
        if (!taken.isEmpty()) {
            f = f.compose(r -> conn.preparedQuery(HANDOFF_TAKEN).executeBatch(taken));
        }
        if (!over.isEmpty()) {
            f = f.compose(r -> conn.preparedQuery(HANDOFF_OVER).executeBatch(over));
        }
        if (!events.isEmpty()) {
            f = f.compose(r -> io.nectar.gateway.webhook.PgOutbox.add(conn, events));
        }
        if (!answeredByBot.isEmpty()) {
            // a closed conversation the shopper went on with is the bot's again
            f = f.compose(r -> conn.preparedQuery(REOPENED).execute(Tuple.tuple().addArrayOfString(answeredByBot.toArray(String[]::new))));
        }
        return f.mapEmpty();
    }

    /** What one batch says about a conversation's facts. */
    private static final class Facts {
        String shopper;
        Long shopperAt;
        Long botAt;
        Long agentAt;
        Long handoffAt;
        String topic;
        long topicSeq;
        boolean complaint;

        void add(LoggedMessage m) {
            if (m.shopperId() != null && shopper == null) {
                shopper = m.shopperId();
            }
            switch (m.role()) {
                case "shopper" -> shopperAt = min(shopperAt, m.at());
                case "bot" -> {
                    botAt = min(botAt, m.at());
                    if (m.intent() != null && TOPIC_SOURCES.contains(m.source()) && (topic == null || m.seq() < topicSeq)) {
                        topic = m.intent();
                        topicSeq = m.seq();
                    }
                    complaint |= "complaint".equals(m.intent());
                }
                case "agent" -> agentAt = min(agentAt, m.at());
                default -> { }
            }
            if (m.handoffReason() != null) {
                handoffAt = min(handoffAt, m.at());
            }
        }

        Tuple tuple(String id) {
            return Tuple.tuple().addString(id).addString(shopper).addOffsetDateTime(t(shopperAt)).addOffsetDateTime(t(botAt))
                    .addOffsetDateTime(t(agentAt)).addOffsetDateTime(t(handoffAt)).addString(topic)
                    .addLong(topic == null ? null : topicSeq).addBoolean(complaint);
        }

        private static Long min(Long a, long b) {
            return a == null ? b : Math.min(a, b);
        }

        private static OffsetDateTime t(Long ms) {
            return ms == null ? null : time(ms);
        }
    }

    static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
