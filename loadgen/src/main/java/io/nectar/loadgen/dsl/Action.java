package io.nectar.loadgen.dsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One step of a scenario. Immutable values: the engine interprets them; the "with" methods return
 * new copies. Build them with {@link Chat} and the {@link Steps} methods rather than directly.
 */
public sealed interface Action {

    Duration DEFAULT_TIMEOUT = io.nectar.loadgen.LoadgenDefaults.REQUEST_TIMEOUT;

    /**
     * Opens the chat WebSocket and waits for the welcome frame. The target is picked per user from the
     * simulation's targets (round robin by user id).
     *
     * @param query  query string added to the target URL ({@code merchant=demo}); may be empty
     * @param resumes add {@code conversation=<the user's last conversation id>} to resume it
     */
    record Connect(String name, String query, boolean resumes, List<Check> checks, Duration timeout) implements Action {
        public Connect {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(query, "query");
            checks = List.copyOf(checks);
            positive(timeout);
        }

        public Connect merchant(String merchant) {
            return query(append(query, "merchant=" + merchant));
        }

        public Connect query(String q) {
            return new Connect(name, q, resumes, checks, timeout);
        }

        /** Reconnect to the user's previous conversation ({@code ?conversation=...}). */
        public Connect resume() {
            return new Connect(name, query, true, checks, timeout);
        }

        public Connect check(Check... more) {
            return new Connect(name, query, resumes, concat(checks, more), timeout);
        }

        public Connect timeout(Duration t) {
            return new Connect(name, query, resumes, checks, t);
        }
    }

    /**
     * Sends a {@code message} with a fresh client id and waits for the frame that answers it (a
     * {@code reply} or an {@code error} with that {@code replyTo}). Latency runs from the intended send time.
     */
    record Ask(String name, Template text, List<Check> checks, Duration timeout) implements Action {
        public Ask {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
            checks = List.copyOf(checks);
            positive(timeout);
        }

        public Ask check(Check... more) {
            return new Ask(name, text, concat(checks, more), timeout);
        }

        public Ask timeout(Duration t) {
            return new Ask(name, text, checks, t);
        }
    }

    /**
     * Sends a {@code message} with a fresh id and goes on at once, without waiting: the answer is matched
     * by its {@code replyTo} whenever it comes and timed from this step's intended time, so a paced loop of
     * sends offers its rate whatever the server does (open model on one connection). {@link AwaitReplies}
     * waits for the ones still out.
     */
    record Send(String name, Template text, List<Check> checks, Duration timeout) implements Action {
        public Send {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
            checks = List.copyOf(checks);
            positive(timeout);
        }

        public Send check(Check... more) {
            return new Send(name, text, concat(checks, more), timeout);
        }

        public Send timeout(Duration t) {
            return new Send(name, text, checks, t);
        }
    }

    /** Waits until every {@link Send} of this user is answered or has timed out. */
    record AwaitReplies() implements Action {
    }

    /** Sends a protocol {@code ping} and waits for the {@code pong}: the heartbeat of an idle shopper. */
    record Ping(String name, Duration timeout) implements Action {
        public Ping {
            Objects.requireNonNull(name, "name");
            positive(timeout);
        }

        public Ping timeout(Duration t) {
            return new Ping(name, t);
        }
    }

    /** Closes the user's WebSocket (normal close, 1000). */
    record Close() implements Action {
    }

    /** Think time: a pause drawn uniformly from [min, max], counted from when the previous step ended. */
    record Pause(Duration min, Duration max) implements Action {
        public Pause {
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("pause needs 0 <= min <= max, was " + min + ".." + max);
            }
        }
    }

    /**
     * Paces a loop: each pass through this step starts {@code interval} after the previous pass was due,
     * however long the loop body took (Gatling's {@code pace}, wrk2's constant rate). A late pass starts at
     * once and its latencies are measured from when it was due, so a slow server cannot hide its delay.
     */
    record Pace(Duration interval) implements Action {
        public Pace {
            positive(interval);
        }
    }

    /** Puts the next feeder record's fields into the user's attributes. */
    record Feed(FeederBuilder feeder) implements Action {
        public Feed {
            Objects.requireNonNull(feeder, "feeder");
        }
    }

    /**
     * Runs {@code body} repeatedly: {@code times} passes (if &gt; 0), and/or while less than {@code duration}
     * has passed since the loop started (if not null); neither = forever (until the simulation stops the user).
     */
    record Loop(List<Action> body, int times, Duration duration) implements Action {
        public Loop {
            body = List.copyOf(body);
            if (times < 0) {
                throw new IllegalArgumentException("times must be >= 0");
            }
            if (duration != null) {
                positive(duration);
            }
            if (times == 0 && !waits(body)) {
                throw new IllegalArgumentException("a loop without a count needs a pause, pace, connect, ask or ping in its body "
                        + "(it would spin on the event loop)");
            }
        }

        static boolean waits(List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof Pause || a instanceof Pace || a instanceof Connect || a instanceof Ask || a instanceof Ping
                        || a instanceof Loop l && waits(l.body()) || a instanceof Group g && waits(g.body())) {
                    return true;
                }
            }
            return false;
        }

        public boolean forever() {
            return times == 0 && duration == null;
        }
    }

    /**
     * Times a whole block as one metric, from when the block was due to start (for the first block, the
     * user's scheduled arrival) to its end; KO if any request inside failed.
     */
    record Group(String name, List<Action> body) implements Action {
        public Group {
            Objects.requireNonNull(name, "name");
            body = List.copyOf(body);
        }
    }

    private static void positive(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("duration must be > 0, was " + d);
        }
    }

    private static String append(String query, String part) {
        return query.isEmpty() ? part : query + "&" + part;
    }

    private static List<Check> concat(List<Check> checks, Check[] more) {
        List<Check> l = new ArrayList<>(checks);
        l.addAll(Arrays.asList(more));
        return l;
    }
}
