package io.nectar.loadgen.engine;

import io.nectar.loadgen.dsl.Action;
import io.nectar.loadgen.dsl.Check;
import io.nectar.loadgen.dsl.Population;
import io.vertx.core.Context;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One virtual shopper: interprets its scenario's steps on one event loop (every method runs there; no
 * locks). Holds at most one WebSocket.
 *
 * <p>Latency is measured from the <em>intended</em> time of each step, not from when it actually ran
 * (as wrk2 does): {@link #intended} is the user's scheduled arrival at first, then the end of the
 * previous step plus any pause or pace. A generator or server that falls behind cannot hide the delay
 * (no coordinated omission).
 */
final class VirtualUser {

    private static final int NONE = 0, WELCOME = 1, REPLY = 2, PONG = 3, ALL_SENT = 4;

    private final RunContext run;
    private final Population population;
    private final long id;
    private final Context context;
    private final SplittableRandom random;
    private final Map<String, Object> attributes = new HashMap<>();
    private final ArrayDeque<Block> stack = new ArrayDeque<>();

    private long intended;
    private Conn ws;
    private String conversationId;
    private long messageSeq;
    private int kos;
    private boolean stopped;

    // what the user waits for
    private int awaiting = NONE;
    private Action awaitAction;
    private Stats.Metric awaitMetric;
    private String awaitId;
    private long awaitIntended;
    private long timer = -1;
    private String serverError; // an error frame that came before the welcome
    private final InFlightSends inFlight;

    VirtualUser(RunContext run, Population population, long id, Context context) {
        this.run = run;
        this.population = population;
        this.id = id;
        this.context = context;
        this.random = new SplittableRandom(run.seed() * 0x9E3779B97F4A7C15L + id);
        this.inFlight = new InFlightSends(run);
        attributes.put("userId", id);
    }

    Population population() {
        return population;
    }

    Context context() {
        return context;
    }

    /** Starts the scenario; {@code intendedNanos} is the scheduled arrival. On the user's event loop. */
    void start(long intendedNanos) {
        intended = intendedNanos;
        stack.push(new Block(population.scenario().actions(), null, null, intendedNanos, 0));
        step();
    }

    /**
     * Runs steps until one has to wait for the network or a timer. A scenario bug (a template naming a
     * missing attribute, a throwing check) ends this user with error kind {@code scenario:<exception>}
     * instead of leaving it hanging.
     */
    private void step() {
        try {
            steps();
        } catch (RuntimeException e) {
            run.stats().ko(run.stats().metric("scenario", Stats.Kind.REQUEST), "scenario:" + e.getClass().getSimpleName(), -1);
            clearAwait();
            endUser();
        }
    }

    private void steps() {
        while (!stopped) {
            Block f = stack.peek();
            if (f == null) {
                finish();
                return;
            }
            if (f.index >= f.actions.size()) {
                if (f.loop != null && f.again()) {
                    f.index = 0;
                    continue;
                }
                stack.pop();
                if (f.group != null) {
                    run.stats().group(run.stats().metric(f.group.name(), Stats.Kind.GROUP), intended - f.startIntended,
                            kos == f.kosAtStart);
                }
                continue;
            }
            Action a = f.actions.get(f.index++);
            if (a instanceof Action.Feed feed) {
                attributes.putAll(run.feeder(feed.feeder()).next(random));
            } else if (a instanceof Action.Loop loop) {
                stack.push(new Block(loop.body(), loop, null, intended, kos));
            } else if (a instanceof Action.Group group) {
                stack.push(new Block(group.body(), null, group, intended, kos));
            } else if (a instanceof Action.Close) {
                failInFlight("closed_before_reply"); // the scenario closed without awaiting its sends
                closeSocket();
            } else if (a instanceof Action.Pause p) {
                long min = p.min().toNanos(), max = p.max().toNanos();
                intended += max > min ? min + random.nextLong(max - min + 1) : min;
                if (waitUntil(intended)) {
                    return;
                }
            } else if (a instanceof Action.Pace p) {
                // a late pass is due when it was due, not when it got to run: its latencies count from then
                f.paceDue = f.paceDue < 0 ? intended : f.paceDue + p.interval().toNanos();
                intended = f.paceDue;
                if (waitUntil(intended)) {
                    return;
                }
            } else if (a instanceof Action.Connect c) {
                connect(c);
                return;
            } else if (a instanceof Action.Ask ask) {
                if (!ask(ask)) {
                    return;
                }
            } else if (a instanceof Action.Ping ping) {
                if (!ping(ping)) {
                    return;
                }
            } else if (a instanceof Action.Send send) {
                if (!send(send)) {
                    return;
                }
            } else if (a instanceof Action.AwaitReplies) {
                if (!inFlight.isEmpty()) {
                    awaitAll();
                    return;
                }
            }
        }
    }

    /** Arms a timer for {@code due}; false if it is already due (continue at once). */
    private boolean waitUntil(long due) {
        long delay = due - System.nanoTime();
        if (delay <= 0) {
            return false;
        }
        timer = run.vertx().setTimer(Math.max(1, (delay + 999_999) / 1_000_000), t -> {
            timer = -1;
            step();
        });
        return true;
    }

    // ---- connect ----

    /** One WebSocket of this user; counted in the active connections from open to close, once. */
    private static final class Conn {
        final UserSocket socket;
        boolean counted;

        Conn(UserSocket socket) {
            this.socket = socket;
        }
    }

    private void opened(Conn c) {
        if (!c.counted) {
            c.counted = true;
            run.stats().connectionOpened();
        }
    }

    private void connect(Action.Connect c) {
        closeSocket();
        Stats.Metric metric = run.stats().metric(c.name(), Stats.Kind.CONNECT);
        RunContext.Target target = run.target(id);
        String query = c.query();
        if (c.resumes() && conversationId != null) {
            String part = "conversation=" + URLEncoder.encode(conversationId, StandardCharsets.UTF_8);
            query = query.isEmpty() ? part : query + "&" + part;
        }
        Conn conn = new Conn(run.newSocket(context));
        ws = conn;
        serverError = null;
        await(WELCOME, c, metric, null, c.timeout().toMillis());
        // handlers before connect: the welcome frame comes at once
        conn.socket.textHandler(text -> onText(conn, text));
        conn.socket.closeHandler(v -> onClose(conn));
        conn.socket.connect(target, target.uri(query), c.timeout().toMillis())
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        opened(conn);
                        if (ws != conn || stopped) {
                            closeQuietly(conn.socket);
                        }
                    } else if (ws == conn && awaiting == WELCOME) {
                        ws = null;
                        fail("connect:" + ConnectFailures.kind(ar.cause()), -1, true);
                    }
                });
    }

    // ---- ask / ping ----

    /** A request on a closed socket: counted as {@code not_connected} and the user ends. */
    private boolean notConnected(Stats.Metric metric) {
        if (isOpen()) {
            return false;
        }
        run.stats().ko(metric, "not_connected", -1);
        kos++;
        endUser();
        return true;
    }

    /** Sends the message; false when the user now waits (the usual case). */
    private boolean ask(Action.Ask a) {
        Stats.Metric metric = run.stats().metric(a.name(), Stats.Kind.REQUEST);
        if (notConnected(metric)) {
            return false;
        }
        String msgId = "m" + id + "-" + (++messageSeq);
        String text = a.text().render(attributes);
        await(REPLY, a, metric, msgId, a.timeout().toMillis());
        ws.socket.writeText(new JsonObject().put("type", "message").put("id", msgId).put("text", text).encode());
        return false;
    }

    /** Sends without waiting; true to go on with the next step at once. */
    private boolean send(Action.Send a) {
        Stats.Metric metric = run.stats().metric(a.name(), Stats.Kind.REQUEST);
        if (notConnected(metric)) {
            return false;
        }
        String msgId = "m" + id + "-" + (++messageSeq);
        String text = a.text().render(attributes);
        inFlight.track(msgId, metric, intended, a.checks(), a.timeout().toMillis(), () -> {
            kos++;
            resumeIfAllAnswered();
        });
        ws.socket.writeText(new JsonObject().put("type", "message").put("id", msgId).put("text", text).encode());
        return true;
    }

    /** Waits for every message still in flight; their own timeouts bound the wait. */
    private void awaitAll() {
        awaiting = ALL_SENT;
        awaitAction = null;
        awaitMetric = null;
        awaitId = null;
    }

    private void resumeIfAllAnswered() {
        if (awaiting == ALL_SENT && inFlight.isEmpty()) {
            awaiting = NONE;
            intended = System.nanoTime();
            step();
        }
    }

    /** An answer to a message in flight: timed from when that message was due. */
    private void answered(String replyTo, JsonObject frame, String type, long now) {
        if (!inFlight.answered(replyTo, frame, type, now)) {
            kos++;
        }
        resumeIfAllAnswered();
    }

    /** The connection is gone: every message in flight failed. */
    private void failInFlight(String kind) {
        kos += inFlight.failAll(kind);
    }

    private boolean ping(Action.Ping p) {
        Stats.Metric metric = run.stats().metric(p.name(), Stats.Kind.REQUEST);
        if (notConnected(metric)) {
            return false;
        }
        await(PONG, p, metric, null, p.timeout().toMillis());
        ws.socket.writeText("{\"type\":\"ping\"}");
        return false;
    }

    private void await(int what, Action action, Stats.Metric metric, String msgId, long timeoutMs) {
        awaiting = what;
        awaitAction = action;
        awaitMetric = metric;
        awaitId = msgId;
        awaitIntended = intended;
        cancelTimer();
        timer = run.vertx().setTimer(timeoutMs, t -> {
            timer = -1;
            onTimeout();
        });
    }

    private void onTimeout() {
        if (awaiting == WELCOME) {
            Conn c = ws;
            ws = null;
            if (c != null) {
                closeQuietly(c.socket);
            }
            fail("connect:timeout", -1, true);
        } else if (awaiting != NONE) {
            fail("timeout", -1, false);
        }
    }

    // ---- frames ----

    private void onText(Conn conn, String text) {
        if (conn != ws || stopped) {
            return;
        }
        JsonObject frame;
        try {
            frame = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            run.stats().ko(run.stats().metric("protocol", Stats.Kind.REQUEST), "bad_frame", -1);
            return;
        }
        String type = frame.getString("type", "");
        long now = System.nanoTime();
        Object replyTo = frame.getValue("replyTo");
        if (replyTo instanceof String r && inFlight.contains(r) && (type.equals("reply") || type.equals("error"))) {
            answered(r, frame, type, now);
            return;
        }
        switch (awaiting) {
            case WELCOME -> {
                if (type.equals("welcome")) {
                    opened(conn);
                    String conv = frame.getString("conversationId");
                    if (conv != null) {
                        conversationId = conv;
                        attributes.put("conversationId", conv);
                    }
                    complete(frame, now, ((Action.Connect) awaitAction).checks());
                } else if (type.equals("error")) {
                    serverError = frame.getString("code", "unknown");
                }
            }
            case REPLY -> {
                if (awaitId.equals(frame.getString("replyTo"))) {
                    if (type.equals("error")) {
                        fail("server:" + frame.getString("code", "unknown"), -1, false);
                    } else {
                        complete(frame, now, ((Action.Ask) awaitAction).checks());
                    }
                }
            }
            case PONG -> {
                if (type.equals("pong")) {
                    complete(frame, now, List.of());
                } else if (type.equals("error") && frame.getString("replyTo") == null) {
                    fail("server:" + frame.getString("code", "unknown"), -1, false);
                }
            }
            default -> {
            }
        }
    }

    private void complete(JsonObject frame, long now, List<Check> checks) {
        long latency = now - awaitIntended;
        Stats.Metric metric = awaitMetric;
        clearAwait();
        intended = now;
        String failed = Check.firstFailed(checks, frame, latency);
        if (failed != null) {
            run.stats().ko(metric, "check:" + failed, latency);
            kos++;
            step();
            return;
        }
        run.stats().ok(metric, latency);
        step();
    }

    /** A failed step: counted; a failed connect or a lost connection ends the user. */
    private void fail(String kind, long latency, boolean endsUser) {
        Stats.Metric metric = awaitMetric;
        clearAwait();
        run.stats().ko(metric, kind, latency);
        kos++;
        intended = System.nanoTime();
        if (endsUser) {
            endUser();
        } else {
            step();
        }
    }

    private void onClose(Conn conn) {
        if (conn.counted) {
            conn.counted = false;
            run.stats().connectionClosed();
        }
        if (conn != ws) {
            return;
        }
        ws = null;
        if (stopped) {
            return;
        }
        boolean hadInFlight = !inFlight.isEmpty();
        failInFlight("closed");
        if (awaiting == ALL_SENT) {
            awaiting = NONE;
            endUser();
        } else if (awaiting == WELCOME) {
            Short code = conn.socket.closeStatusCode();
            fail(serverError != null ? "server:" + serverError : "connect:closed_" + code, -1, true);
        } else if (awaiting != NONE) {
            fail("closed", -1, true);
        } else if (hadInFlight) {
            endUser(); // lost while pausing between sends
        }
    }

    private boolean isOpen() {
        return ws != null && ws.counted && !ws.socket.isClosed();
    }

    private void closeSocket() {
        Conn c = ws;
        ws = null;
        if (c != null) {
            closeQuietly(c.socket);
        }
    }

    private static void closeQuietly(UserSocket s) {
        try {
            if (!s.isClosed()) {
                s.close();
            }
        } catch (RuntimeException notConnectedYet) {
            // still connecting: the connect callback closes it
        }
    }

    private void clearAwait() {
        awaiting = NONE;
        awaitAction = null;
        awaitMetric = null;
        awaitId = null;
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer >= 0) {
            run.vertx().cancelTimer(timer);
            timer = -1;
        }
    }

    /** Ends the user early (a failure): open groups count as KO. */
    private void endUser() {
        while (!stack.isEmpty()) {
            Block f = stack.pop();
            if (f.group != null) {
                run.stats().group(run.stats().metric(f.group.name(), Stats.Kind.GROUP), -1, false);
            }
        }
        finish();
    }

    private void finish() {
        if (stopped) {
            return;
        }
        stopped = true;
        cancelTimer();
        failInFlight("closed_before_reply");
        closeSocket();
        run.userFinished(this);
    }

    /** Stops the user at the end of the simulation: waits are abandoned (not errors), the socket closed. */
    void stop() {
        if (stopped) {
            return;
        }
        stack.clear();
        awaiting = NONE;
        inFlight.abandon();
        finish();
    }
}
