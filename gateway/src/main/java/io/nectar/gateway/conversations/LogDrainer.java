package io.nectar.gateway.conversations;

import io.nectar.gateway.transcript.LoggedMessage;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves the durable log from Redis to PostgreSQL. Every node runs one: it reads the log streams (one
 * per shard) through the consumer group {@value ConversationKeys#DRAIN_GROUP} as itself, writes each
 * batch to the {@link TranscriptSink} (one transaction, idempotent on conversation and seq), and only
 * after the commit acknowledges the entries and deletes them from the stream; so an entry leaves Redis
 * only once it is in PostgreSQL. Entries a dead or stuck drainer read but never acknowledged are claimed
 * by the others after a while ({@link #CLAIM_IDLE_MILLIS} by default; XAUTOCLAIM). A failed write leaves the batch pending
 * and is retried from this node's pending list; PostgreSQL away for minutes delays the drain and loses
 * nothing. Runs on the Vert.x context it was started on; never blocks.
 */
public final class LogDrainer {

    private static final Logger log = LoggerFactory.getLogger(LogDrainer.class);
    /** Entries pending this long without acknowledgement are taken over from their drainer. */
    public static final long CLAIM_IDLE_MILLIS = 15_000;
    private final long claimIdleMillis;
    private static final int BATCH = 500;
    private static final long IDLE_POLL_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 2_000;

    private final Vertx vertx;
    private final Redis redis;
    private final ConversationKeys keys;
    private final String consumer;
    private final TranscriptSink sink;
    private final long timeoutMillis;
    private final boolean[] retryPending;
    private final long[] lastClaim;
    private final AtomicLong drained = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long lagEntries;
    private volatile double lagSeconds;
    private volatile boolean running;
    private Promise<Void> stopped;
    private long retryDelay = IDLE_POLL_MILLIS;

    public LogDrainer(Vertx vertx, Redis redis, ConversationKeys keys, String nodeId, TranscriptSink sink, long timeoutMillis) {
        this(vertx, redis, keys, nodeId, sink, timeoutMillis, CLAIM_IDLE_MILLIS);
    }

    /** @param claimIdleMillis how long another drainer's unacknowledged entries wait before this one takes them */
    public LogDrainer(Vertx vertx, Redis redis, ConversationKeys keys, String nodeId, TranscriptSink sink, long timeoutMillis,
                      long claimIdleMillis) {
        this.claimIdleMillis = claimIdleMillis;
        this.vertx = vertx;
        this.redis = redis;
        this.keys = keys;
        this.consumer = nodeId;
        this.sink = sink;
        this.timeoutMillis = timeoutMillis;
        this.retryPending = new boolean[keys.shards()];
        this.lastClaim = new long[keys.shards()];
        java.util.Arrays.fill(retryPending, true); // after a restart under the same name, our own pending entries first
    }

    /** Creates the consumer group on every shard's stream (once per deployment) and starts draining. */
    public Future<Void> start() {
        List<Future<Response>> groups = new ArrayList<>();
        for (int s = 0; s < keys.shards(); s++) {
            groups.add(send(Request.cmd(Command.XGROUP).arg("CREATE").arg(keys.log(s)).arg(ConversationKeys.DRAIN_GROUP)
                    .arg("0").arg("MKSTREAM")).recover(t -> t.getMessage() != null && t.getMessage().startsWith("BUSYGROUP")
                    ? Future.succeededFuture() : Future.failedFuture(t)));
        }
        return Future.all(groups).<Void>mapEmpty().onSuccess(v -> {
            running = true;
            stopped = Promise.promise();
            vertx.setTimer(1, id -> pass());
            vertx.setPeriodic(1_000, 5_000, id -> {
                if (running) {
                    measureLag();
                } else {
                    vertx.cancelTimer(id);
                }
            });
        });
    }

    /** Stops after the pass in progress; what was read and not yet written stays pending for the others. */
    public Future<Void> stop() {
        if (!running) {
            return Future.succeededFuture();
        }
        running = false;
        return stopped.future();
    }

    public long drained() {
        return drained.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Log entries not yet in PostgreSQL, over every shard (refreshed every few seconds). */
    public long lagEntries() {
        return lagEntries;
    }

    /** Age of the oldest log entry not yet in PostgreSQL, in seconds (0 when none). */
    public double lagSeconds() {
        return lagSeconds;
    }

    /** Reads and writes until every shard came up empty once; exposed for tests and the drain on shutdown. */
    public Future<Integer> drainOnce() {
        return passOver(0, 0);
    }

    private void pass() {
        if (!running) {
            stopped.tryComplete();
            return;
        }
        passOver(0, 0).onComplete(ar -> {
            long delay;
            if (ar.failed()) {
                failures.incrementAndGet();
                log.warn("log drain failed ({}); retrying in {} ms", ar.cause().toString(), retryDelay);
                delay = retryDelay;
                retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MILLIS);
            } else {
                retryDelay = IDLE_POLL_MILLIS;
                delay = ar.result() > 0 ? 1 : IDLE_POLL_MILLIS;
            }
            if (running) {
                vertx.setTimer(delay, id -> pass());
            } else {
                stopped.tryComplete();
            }
        });
    }

    private Future<Integer> passOver(int shard, int total) {
        if (shard >= keys.shards()) {
            return Future.succeededFuture(total);
        }
        return drainShard(shard).compose(n -> passOver(shard + 1, total + n));
    }

    private Future<Integer> drainShard(int shard) {
        String key = keys.log(shard);
        long now = System.currentTimeMillis();
        if (now - lastClaim[shard] > claimIdleMillis / 3) {
            lastClaim[shard] = now;
            return send(Request.cmd(Command.XAUTOCLAIM).arg(key).arg(ConversationKeys.DRAIN_GROUP).arg(consumer)
                    .arg(claimIdleMillis).arg("0-0").arg("COUNT").arg(BATCH))
                    .compose(r -> write(key, entries(r.get(1))))
                    .compose(n -> drainShard(shard).map(m -> n + m));
        }
        String from = retryPending[shard] ? "0" : ">";
        return send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(ConversationKeys.DRAIN_GROUP).arg(consumer)
                .arg("COUNT").arg(BATCH).arg("STREAMS").arg(key).arg(from))
                .compose(r -> {
                    List<Entry> entries = entries(streamOf(r, key));
                    if (retryPending[shard] && entries.isEmpty()) {
                        retryPending[shard] = false; // our pending list is empty: new entries from now on
                        return drainShard(shard);
                    }
                    return write(key, entries).onFailure(t -> retryPending[shard] = true);
                });
    }

    private record Entry(String id, LoggedMessage message) {
    }

    private Future<Integer> write(String key, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<LoggedMessage> batch = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Entry e : entries) {
            ids.add(e.id());
            if (e.message() != null) {
                batch.add(e.message());
            }
        }
        Future<Void> written = batch.isEmpty() ? Future.succeededFuture() : sink.write(batch);
        return written.compose(v -> {
            Request ack = Request.cmd(Command.XACK).arg(key).arg(ConversationKeys.DRAIN_GROUP);
            Request del = Request.cmd(Command.XDEL).arg(key);
            ids.forEach(id -> {
                ack.arg(id);
                del.arg(id);
            });
            return redis.batch(List.of(ack, del)).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        }).map(r -> {
            drained.addAndGet(batch.size());
            return entries.size();
        });
    }

    private static Response streamOf(Response r, String key) {
        if (r == null) {
            return null;
        }
        if (r.isMap()) {
            return r.get(key);
        }
        return r.size() == 0 ? null : r.get(0).get(1);
    }

    /** Stream entries [[id, [field, value, ...]], ...]; an entry deleted meanwhile has no fields and is only acknowledged. */
    private static List<Entry> entries(Response list) {
        List<Entry> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (Response e : list) {
            String id = e.get(0).toString();
            Response fields = e.size() > 1 ? e.get(1) : null;
            LoggedMessage m = null;
            if (fields != null && fields.size() > 0) {
                String seq = null;
                String json = null;
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    String f = fields.get(i).toString();
                    if ("s".equals(f)) {
                        seq = fields.get(i + 1).toString();
                    } else if ("j".equals(f)) {
                        json = fields.get(i + 1).toString();
                    }
                }
                if (seq != null && json != null) {
                    try {
                        m = InMemoryConversationStore.withSeq(LoggedMessage.fromJson(new JsonObject(json)), Long.parseLong(seq));
                    } catch (RuntimeException ex) {
                        log.error("log entry {} is unreadable and is dropped: {}", id, ex.toString());
                    }
                }
            }
            out.add(new Entry(id, m));
        }
        return out;
    }

    private void measureLag() {
        List<Future<Response>> lens = new ArrayList<>();
        List<Future<Response>> firsts = new ArrayList<>();
        for (int s = 0; s < keys.shards(); s++) {
            lens.add(send(Request.cmd(Command.XLEN).arg(keys.log(s))));
            firsts.add(send(Request.cmd(Command.XRANGE).arg(keys.log(s)).arg("-").arg("+").arg("COUNT").arg(1)));
        }
        Future.join(Future.all(lens), Future.all(firsts)).onSuccess(v -> {
            long entries = 0;
            long oldest = Long.MAX_VALUE;
            for (int s = 0; s < keys.shards(); s++) {
                entries += lens.get(s).result().toLong();
                Response r = firsts.get(s).result();
                if (r != null && r.size() > 0) {
                    String id = r.get(0).get(0).toString();
                    oldest = Math.min(oldest, Long.parseLong(id.substring(0, id.indexOf('-'))));
                }
            }
            lagEntries = entries;
            lagSeconds = oldest == Long.MAX_VALUE ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
        });
    }

    private Future<Response> send(Request r) {
        return redis.send(r).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
