package io.nectar.loadgen.dsl;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * One check on a server frame (a reply, or the welcome of a connect) and the time it took. A failed
 * check makes the request KO with the error kind {@code check:<name>}; the latency is still recorded,
 * because the server did answer. Checks run on the virtual user's event loop: keep them cheap.
 *
 * @param name      short, stable name; it becomes the error kind
 * @param predicate true when the frame passes
 */
public record Check(String name, Predicate predicate) {

    /** The test itself: the frame as received and its latency in nanoseconds from the intended send. */
    @FunctionalInterface
    public interface Predicate {
        boolean test(JsonObject frame, long latencyNanos);
    }

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(predicate, "predicate");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a check needs a name");
        }
    }

    public boolean test(JsonObject frame, long latencyNanos) {
        return predicate.test(frame, latencyNanos);
    }

    /**
     * The name of the first of {@code checks} the frame fails, or {@code null} when it passes them all. A
     * check that throws on an odd frame fails; it does not stall the user.
     */
    public static String firstFailed(List<Check> checks, JsonObject frame, long latencyNanos) {
        for (Check c : checks) {
            boolean passed;
            try {
                passed = c.test(frame, latencyNanos);
            } catch (RuntimeException e) {
                passed = false;
            }
            if (!passed) {
                return c.name();
            }
        }
        return null;
    }
}
