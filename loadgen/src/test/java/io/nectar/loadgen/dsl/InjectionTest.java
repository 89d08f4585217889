package io.nectar.loadgen.dsl;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Injection timing: the arrival schedules the profiles produce (pure functions of a seed, so the bounds
 * here are about correctness, not machine speed).
 */
class InjectionTest {

    static List<Long> arrivals(OpenInjection step, long seed) {
        List<Long> out = new ArrayList<>();
        step.arrivals(new SplittableRandom(seed), out::add);
        return out;
    }

    static void assertSortedWithin(List<Long> t, Duration d) {
        for (int i = 0; i < t.size(); i++) {
            assertTrue(t.get(i) >= 0 && t.get(i) < Math.max(1, d.toNanos()), "arrival " + i + " at " + t.get(i) + " outside the step");
            if (i > 0) {
                assertTrue(t.get(i) >= t.get(i - 1), "arrivals out of order at " + i);
            }
        }
    }

    @Test
    void atOnceArrivesAtTheStart() {
        assertEquals(List.of(0L, 0L, 0L), arrivals(OpenInjection.atOnceUsers(3), 1));
    }

    @Test
    void rampSpacesUsersEvenly() {
        List<Long> t = arrivals(OpenInjection.rampUsers(10).during(Duration.ofSeconds(5)), 1);
        assertEquals(10, t.size());
        for (int k = 0; k < 10; k++) {
            assertEquals(k * 500_000_000L, t.get(k), 1.0);
        }
    }

    @Test
    void constantRateHitsItsCountAndSpacing() {
        List<Long> t = arrivals(OpenInjection.constantUsersPerSec(40).during(Duration.ofSeconds(3)), 1);
        assertEquals(120, t.size());
        assertEquals(25_000_000L, t.get(1) - t.get(0), 1.0);
        assertSortedWithin(t, Duration.ofSeconds(3));
    }

    @Test
    void randomizedRateIsAPoissonProcess() {
        // 2,000 expected arrivals: the count is within 5 standard deviations (sqrt(2000) ≈ 45)
        OpenInjection.ConstantRate step = OpenInjection.constantUsersPerSec(200).during(Duration.ofSeconds(10)).randomized();
        List<Long> t = arrivals(step, 3);
        assertTrue(Math.abs(t.size() - 2000) < 5 * 45, "count " + t.size());
        assertSortedWithin(t, Duration.ofSeconds(10));
        // exponential gaps: about 1/e of them are longer than the mean gap (5 ms)
        long longer = 0;
        for (int i = 1; i < t.size(); i++) {
            if (t.get(i) - t.get(i - 1) > 5_000_000L) {
                longer++;
            }
        }
        double share = (double) longer / (t.size() - 1);
        assertTrue(Math.abs(share - Math.exp(-1)) < 0.05, "share of gaps above the mean " + share);
    }

    @Test
    void rampRateGrowsLinearly() {
        // 0 → 100 users/s over 10 s: 500 users; N(t) = 5 t², so half arrive after t = sqrt(50) ≈ 7.07 s
        List<Long> t = arrivals(OpenInjection.rampUsersPerSec(0).to(100).during(Duration.ofSeconds(10)), 1);
        assertEquals(500, t.size());
        assertSortedWithin(t, Duration.ofSeconds(10));
        assertEquals(Math.sqrt(50), t.get(250) / 1e9, 0.01);
        assertEquals(Math.sqrt(1.0 / 5), t.get(1) / 1e9, 0.001);
    }

    @Test
    void burstArrivesUniformlyWithinItsWindow() {
        Duration within = Duration.ofSeconds(10);
        List<Long> t = arrivals(OpenInjection.burst(15_000).within(within), 42);
        assertEquals(15_000, t.size());
        assertSortedWithin(t, within);
        // ten 1-second buckets of ~1,500 each: binomial sd ≈ 36.7; allow 5 sd
        int[] buckets = new int[10];
        t.forEach(x -> buckets[(int) (x / 1_000_000_000L)]++);
        for (int b : buckets) {
            assertTrue(Math.abs(b - 1500) < 5 * 36.7, "bucket of " + b);
        }
        assertEquals(t, arrivals(OpenInjection.burst(15_000).within(within), 42), "same seed, same schedule");
    }

    @Test
    void closedProfilesGiveTheirTargetOverTime() {
        Population p = Scenario.scenario("s").exec(Chat.connect("c")).injectClosed(
                ClosedInjection.rampConcurrentUsers(0).to(100).during(Duration.ofSeconds(10)),
                ClosedInjection.constantConcurrentUsers(100).during(Duration.ofSeconds(5)));
        assertEquals(0, p.closedTargetAt(0));
        assertEquals(50, p.closedTargetAt(5_000_000_000L));
        assertEquals(100, p.closedTargetAt(12_000_000_000L));
        assertEquals(0, p.closedTargetAt(15_000_000_001L));
        assertEquals(100, p.peakUsers());
        assertEquals(Duration.ofSeconds(15), p.injectionDuration());
    }
}
