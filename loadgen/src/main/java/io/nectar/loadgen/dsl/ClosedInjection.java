package io.nectar.loadgen.dsl;

import java.time.Duration;

/**
 * Closed-model injection: hold a number of concurrent users; when one finishes, another starts (like a
 * pool of clients). Steps run one after another; at the end of the last step the remaining users are
 * stopped.
 */
public sealed interface ClosedInjection {

    Duration duration();

    /** Users that should be live {@code nanos} into this step. */
    int targetAt(long nanos);

    /** The most users this step ever wants live. */
    int peak();

    /** Hold {@code users} concurrent users for {@code during}. */
    record Constant(int users, Duration during) implements ClosedInjection {
        public Constant {
            if (users < 0) {
                throw new IllegalArgumentException("users must be >= 0");
            }
            positive(during);
        }

        @Override
        public Duration duration() {
            return during;
        }

        @Override
        public int targetAt(long nanos) {
            return users;
        }

        @Override
        public int peak() {
            return users;
        }
    }

    /** Move the concurrent users linearly from {@code from} to {@code to} over {@code during}. */
    record RampConcurrent(int from, int to, Duration during) implements ClosedInjection {
        public RampConcurrent {
            if (from < 0 || to < 0) {
                throw new IllegalArgumentException("users must be >= 0");
            }
            positive(during);
        }

        @Override
        public Duration duration() {
            return during;
        }

        @Override
        public int targetAt(long nanos) {
            double f = Math.min(1.0, Math.max(0.0, (double) nanos / during.toNanos()));
            return (int) Math.round(from + (to - from) * f);
        }

        @Override
        public int peak() {
            return Math.max(from, to);
        }
    }

    static ConstantBuilder constantConcurrentUsers(int users) {
        return new ConstantBuilder(users);
    }

    static RampFrom rampConcurrentUsers(int from) {
        return new RampFrom(from);
    }

    record ConstantBuilder(int users) {
        public Constant during(Duration d) {
            return new Constant(users, d);
        }
    }

    record RampFrom(int from) {
        public RampTo to(int to) {
            return new RampTo(from, to);
        }
    }

    record RampTo(int from, int to) {
        public RampConcurrent during(Duration d) {
            return new RampConcurrent(from, to, d);
        }
    }

    private static void positive(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("duration must be > 0, was " + d);
        }
    }
}
