package io.nectar.loadgen.engine;

import io.nectar.loadgen.dsl.Check;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A virtual user's messages sent without waiting ({@code Action.Send}), by id in send order, each with the
 * time it was due and a timeout of its own; answers are timed from when their message was due. Every
 * method runs on the user's event loop.
 */
final class InFlightSends {

    private final RunContext run;
    private final Map<String, Sent> sent = new LinkedHashMap<>();

    private static final class Sent {
        final Stats.Metric metric;
        final long intended;
        final List<Check> checks;
        long timer;

        Sent(Stats.Metric metric, long intended, List<Check> checks) {
            this.metric = metric;
            this.intended = intended;
            this.checks = checks;
        }
    }

    InFlightSends(RunContext run) {
        this.run = run;
    }

    boolean isEmpty() {
        return sent.isEmpty();
    }

    boolean contains(String msgId) {
        return sent.containsKey(msgId);
    }

    /** Waits for an answer to {@code msgId}; when none comes in time it counts a timeout and runs {@code timedOut}. */
    void track(String msgId, Stats.Metric metric, long intended, List<Check> checks, long timeoutMillis, Runnable timedOut) {
        Sent s = new Sent(metric, intended, checks);
        s.timer = run.vertx().setTimer(timeoutMillis, t -> {
            if (sent.remove(msgId) != null) {
                run.stats().ko(metric, "timeout", -1);
                timedOut.run();
            }
        });
        sent.put(msgId, s);
    }

    /** Records the answer (a reply or an error frame) to a message in flight; false when it counts as KO. */
    boolean answered(String replyTo, JsonObject frame, String type, long now) {
        Sent s = sent.remove(replyTo);
        run.vertx().cancelTimer(s.timer);
        long latency = now - s.intended;
        if (type.equals("error")) {
            run.stats().ko(s.metric, "server:" + frame.getString("code", "unknown"), -1);
            return false;
        }
        String failed = Check.firstFailed(s.checks, frame, latency);
        if (failed != null) {
            run.stats().ko(s.metric, "check:" + failed, latency);
            return false;
        }
        run.stats().ok(s.metric, latency);
        return true;
    }

    /** Every message in flight failed with {@code kind} (the connection is gone); returns how many. */
    int failAll(String kind) {
        int n = sent.size();
        for (Sent s : sent.values()) {
            run.vertx().cancelTimer(s.timer);
            run.stats().ko(s.metric, kind, -1);
        }
        sent.clear();
        return n;
    }

    /** Forgets every message in flight without counting it (the simulation is over). */
    void abandon() {
        sent.values().forEach(s -> run.vertx().cancelTimer(s.timer));
        sent.clear();
    }
}
