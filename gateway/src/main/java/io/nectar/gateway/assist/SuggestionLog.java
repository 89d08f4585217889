package io.nectar.gateway.assist;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nectar.gateway.pg.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Supplier;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import io.vertx.sqlclient.Tuple;

/**
 * What agents did with the assist pane, the measure ICS-Assist used: per merchant and predicted intent, how
 * many panes were shown, in how many the agent sent a suggestion (as is or edited first) and how many were
 * ignored. <b>Adoption</b> = panes whose suggestion was sent (as is or edited) / panes decided;
 * <b>acceptance</b> = suggestions sent as is / suggestions sent. A pane is decided when the agent sends one
 * of its suggestions, or sends their own words, or when the next shopper message's pane replaces it, or
 * when the agent hands the conversation back or closes it (ignored). Counted on the node where it was
 * decided (Prometheus sums nodes); the REST view is this node's. With PostgreSQL every decided pane is
 * also a row of {@code assist_suggestions} (idempotent on the pane and the suggestion), from which the
 * merchant's numbers take {@code assist_adoption} for any period, across nodes. Thread-safe.
 */
public final class SuggestionLog {

    public enum Outcome {
        SENT("sent"), EDITED("edited"), IGNORED("ignored");

        public final String code;

        Outcome(String code) {
            this.code = code;
        }
    }

    private static final int SHOWN = 0;
    private static final int SENT = 1;
    private static final int EDITED = 2;
    private static final int IGNORED = 3;

    static final String INSERT = "INSERT INTO assist_suggestions (merchant_id, conversation_id, assist_id, suggestion_id, rank, kind, "
            + "ref, intent, shown_at, outcome, outcome_at, agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
            + "ON CONFLICT (assist_id, suggestion_id) DO NOTHING";
    /** The suggestion id of a pane decided without one (the agent's own words, or ignored). */
    public static final String NONE = "-";

    private final Map<String, Map<String, AtomicLongArray>> counts = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Supplier<Database> db;
    private final java.time.Clock clock;

    public SuggestionLog(MeterRegistry registry) {
        this(registry, () -> null, java.time.Clock.systemUTC());
    }

    /** {@code db} gives the database, or null while there is none (embedded): then only counted. */
    public SuggestionLog(MeterRegistry registry, Supplier<Database> db, java.time.Clock clock) {
        this.registry = registry;
        this.db = db;
        this.clock = clock;
    }

    private AtomicLongArray of(String merchant, String intent) {
        return counts.computeIfAbsent(merchant, m -> new ConcurrentHashMap<>()).computeIfAbsent(intent, i -> new AtomicLongArray(4));
    }

    /** A pane was shown to the agent. */
    public void shown(String merchant, Assist a) {
        of(merchant, a.intent()).incrementAndGet(SHOWN);
        counter("shown", a).increment();
    }

    /**
     * A pane was decided: {@code used} is the suggestion sent (null when none was), {@code agent} the login
     * that decided it (null when a newer pane replaced it). Completes when the row is written (at once
     * without a database); a failed write is the caller's to log, the counts are kept either way.
     */
    public Future<Void> decided(String merchant, Assist a, Suggestion used, Outcome outcome, String agent) {
        of(merchant, a.intent()).incrementAndGet(switch (outcome) {
            case SENT -> SENT;
            case EDITED -> EDITED;
            case IGNORED -> IGNORED;
        });
        counter(outcome.code, a).increment();
        Database d = db.get();
        if (d == null) {
            return Future.succeededFuture();
        }
        int rank = used == null ? 0 : a.suggestions().indexOf(used) + 1;
        return d.pool().preparedQuery(INSERT).execute(Tuple.from(new Object[]{merchant, a.conversationId(), a.assistId(),
                used == null ? NONE : used.id(), (short) rank, used == null ? "none" : used.kind(), used == null ? null : used.ref(),
                a.intent() == null ? "none" : a.intent(), time(a.at()), outcome.code, time(clock.millis()), agent})).mapEmpty();
    }

    private static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    private Counter counter(String outcome, Assist a) {
        // the label is the kind of intent (faq, flow, product, promotion, out_of_scope): bounded cardinality
        String kind = kind(a.intent());
        return counters.computeIfAbsent(outcome + "|" + kind, k -> Counter.builder("nectar_assist_panes_total")
                .tag("outcome", outcome).tag("intent_kind", kind)
                .description("Assist panes shown to agents, and how each was decided (sent, edited, ignored)").register(registry));
    }

    static String kind(String intent) {
        int colon = intent == null ? -1 : intent.indexOf(':');
        return intent == null ? "none" : colon < 0 ? intent : intent.substring(0, colon);
    }

    /** The merchant's rates per intent, for {@code GET /api/agent/assist/stats}. */
    public JsonObject stats(String merchant) {
        JsonArray rows = new JsonArray();
        long[] total = new long[4];
        new TreeMap<>(counts.getOrDefault(merchant, Map.of())).forEach((intent, c) -> {
            long[] v = {c.get(SHOWN), c.get(SENT), c.get(EDITED), c.get(IGNORED)};
            for (int i = 0; i < 4; i++) {
                total[i] += v[i];
            }
            rows.add(row(v).put("intent", intent));
        });
        return new JsonObject().put("merchant", merchant).put("total", row(total)).put("intents", rows);
    }

    private static JsonObject row(long[] v) {
        long decided = v[SENT] + v[EDITED] + v[IGNORED];
        long used = v[SENT] + v[EDITED];
        return new JsonObject().put("shown", v[SHOWN]).put("sent", v[SENT]).put("edited", v[EDITED]).put("ignored", v[IGNORED])
                .put("adoption", decided == 0 ? null : round((double) used / decided))
                .put("acceptance", used == 0 ? null : round((double) v[SENT] / used));
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
