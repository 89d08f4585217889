package io.nectar.loadgen.dsl;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * Open-model injection: users arrive on a schedule whatever the server does (real shoppers do not wait
 * for each other). Steps run one after another. Each step yields its arrival times, in nanoseconds from
 * the step's start, in non-decreasing order.
 */
public sealed interface OpenInjection {

    /** How long the step lasts (the next step starts after it). */
    Duration duration();

    /** Number of users the step injects ({@link ConstantRate#randomized()} injects about this many). */
    long userCount();

    /** Emits every arrival offset (ns from the step's start), in order. */
    void arrivals(RandomGenerator random, LongConsumer offsetNanos);

    /** {@code users} at the very start of the step. */
    record AtOnce(int users) implements OpenInjection {
        public AtOnce {
            nonNegative(users);
        }

        @Override
        public Duration duration() {
            return Duration.ZERO;
        }

        @Override
        public long userCount() {
            return users;
        }

        @Override
        public void arrivals(RandomGenerator random, LongConsumer out) {
            for (int i = 0; i < users; i++) {
                out.accept(0);
            }
        }
    }

    /** {@code users} evenly spaced over {@code during}: user k arrives at k·during/users. */
    record Ramp(int users, Duration during) implements OpenInjection {
        public Ramp {
            nonNegative(users);
            positive(during);
        }

        @Override
        public Duration duration() {
            return during;
        }

        @Override
        public long userCount() {
            return users;
        }

        @Override
        public void arrivals(RandomGenerator random, LongConsumer out) {
            long d = during.toNanos();
            for (int k = 0; k < users; k++) {
                out.accept((long) ((double) d * k / users));
            }
        }
    }

    /**
     * {@code usersPerSec} for {@code during}: evenly spaced, or with {@link #randomized()} as a Poisson
     * process (exponential gaps), which is how independent shoppers really arrive.
     */
    record ConstantRate(double usersPerSec, Duration during, boolean poisson) implements OpenInjection {
        public ConstantRate {
            if (!(usersPerSec > 0)) {
                throw new IllegalArgumentException("rate must be > 0, was " + usersPerSec);
            }
            positive(during);
        }

        public ConstantRate randomized() {
            return new ConstantRate(usersPerSec, during, true);
        }

        @Override
        public Duration duration() {
            return during;
        }

        @Override
        public long userCount() {
            return Math.round(usersPerSec * during.toNanos() / 1e9);
        }

        @Override
        public void arrivals(RandomGenerator random, LongConsumer out) {
            long d = during.toNanos();
            if (!poisson) {
                long n = userCount();
                for (long k = 0; k < n; k++) {
                    out.accept((long) (k * 1e9 / usersPerSec));
                }
                return;
            }
            double t = 0;
            while (true) {
                t += -Math.log(1 - random.nextDouble()) * 1e9 / usersPerSec;
                if (t >= d) {
                    return;
                }
                out.accept((long) t);
            }
        }
    }

    /** The arrival rate grows (or falls) linearly from {@code from} to {@code to} users/s over {@code during}. */
    record RampRate(double from, double to, Duration during) implements OpenInjection {
        public RampRate {
            if (from < 0 || to < 0 || from + to <= 0) {
                throw new IllegalArgumentException("rates must be >= 0 and not both 0");
            }
            positive(during);
        }

        @Override
        public Duration duration() {
            return during;
        }

        @Override
        public long userCount() {
            return Math.round((from + to) / 2 * during.toNanos() / 1e9);
        }

        @Override
        public void arrivals(RandomGenerator random, LongConsumer out) {
            // users arrived by time t: N(t) = from·t + (to-from)·t²/(2D); user k arrives where N(t) = k
            double dSec = during.toNanos() / 1e9;
            double a = (to - from) / (2 * dSec);
            long n = userCount();
            for (long k = 0; k < n; k++) {
                double t = a == 0 ? k / from : (-from + Math.sqrt(from * from + 4 * a * k)) / (2 * a);
                out.accept((long) Math.min(t * 1e9, during.toNanos() - 1));
            }
        }
    }

    /** No arrivals for {@code during}. */
    record NothingFor(Duration during) implements OpenInjection {
        public NothingFor {
            positive(during);
        }

        @Override
        public Duration duration() {
            return during;
        }

        @Override
        public long userCount() {
            return 0;
        }

        @Override
        public void arrivals(RandomGenerator random, LongConsumer out) {
        }
    }

    /**
     * The midnight burst: {@code users} shoppers arrive independently at uniformly random times within
     * {@code within} (sorted), as when a promotion opens at 00:00.
     */
    record Burst(int users, Duration within) implements OpenInjection {
        public Burst {
            nonNegative(users);
            positive(within);
        }

        @Override
        public Duration duration() {
            return within;
        }

        @Override
        public long userCount() {
            return users;
        }

        @Override
        public void arrivals(RandomGenerator random, LongConsumer out) {
            long[] t = new long[users];
            long d = within.toNanos();
            for (int i = 0; i < users; i++) {
                t[i] = (long) (random.nextDouble() * d);
            }
            Arrays.sort(t);
            for (long x : t) {
                out.accept(x);
            }
        }
    }

    // ---- the DSL ----

    static AtOnce atOnceUsers(int users) {
        return new AtOnce(users);
    }

    static RampBuilder rampUsers(int users) {
        return new RampBuilder(users);
    }

    static RateBuilder constantUsersPerSec(double rate) {
        return new RateBuilder(rate);
    }

    static RampRateBuilder rampUsersPerSec(double from) {
        return new RampRateBuilder(from);
    }

    static NothingFor nothingFor(Duration d) {
        return new NothingFor(d);
    }

    static BurstBuilder burst(int users) {
        return new BurstBuilder(users);
    }

    record RampBuilder(int users) {
        public Ramp during(Duration d) {
            return new Ramp(users, d);
        }
    }

    record RateBuilder(double rate) {
        public ConstantRate during(Duration d) {
            return new ConstantRate(rate, d, false);
        }
    }

    record RampRateBuilder(double from) {
        public RampRateTo to(double to) {
            return new RampRateTo(from, to);
        }
    }

    record RampRateTo(double from, double to) {
        public RampRate during(Duration d) {
            return new RampRate(from, to, d);
        }
    }

    record BurstBuilder(int users) {
        public Burst within(Duration d) {
            return new Burst(users, d);
        }
    }

    private static void nonNegative(long users) {
        if (users < 0) {
            throw new IllegalArgumentException("users must be >= 0, was " + users);
        }
    }

    private static void positive(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("duration must be > 0, was " + d);
        }
    }
}
