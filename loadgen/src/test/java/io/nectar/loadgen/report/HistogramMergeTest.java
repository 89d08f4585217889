package io.nectar.loadgen.report;

import io.nectar.loadgen.engine.Progress;
import io.nectar.loadgen.engine.Stats;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Merging processes' records gives exactly what one process recording everything would have. */
class HistogramMergeTest {

    @TempDir
    Path dir;

    static long[][] random(Random r, int seconds, int perSecond, long maxMicros) {
        long[][] v = new long[seconds][perSecond];
        for (int s = 0; s < seconds; s++) {
            for (int i = 0; i < perSecond; i++) {
                v[s][i] = 1 + (long) (Math.pow(r.nextDouble(), 4) * maxMicros); // long tail
            }
        }
        return v;
    }

    @Test
    void mergedPercentilesEqualOneHistogramOfEveryValue() throws Exception {
        Random r = new Random(11);
        long[][] a = random(r, 5, 300, 2_000_000), b = random(r, 4, 500, 50_000_000);
        RunFiles.write(dir.resolve("w0"), a, 100, 0);
        RunFiles.write(dir.resolve("w1"), b, 250, 7);

        Histogram all = new Histogram(Stats.HIGHEST_MICROS, Stats.DIGITS);
        for (long[][] w : List.of(a, b)) {
            for (long[] sec : w) {
                for (long v : sec) {
                    all.recordValue(v);
                }
            }
        }
        RunData data = RunData.read(List.of(dir.resolve("w0"), dir.resolve("w1")));
        Histogram merged = data.total("ask");
        assertEquals(all.getTotalCount(), merged.getTotalCount());
        for (double p : new double[]{50, 90, 99, 99.9, 100}) {
            assertEquals(all.getValueAtPercentile(p), merged.getValueAtPercentile(p), "p" + p);
        }
        assertEquals(all.getMaxValue(), merged.getMaxValue());

        // per second: second 1 holds both processes' first seconds; second 5 only w0's
        Histogram second1 = data.perSecond("ask").get(1);
        assertEquals(a[0].length + b[0].length, second1.getTotalCount());
        assertEquals(a[4].length, data.perSecond("ask").get(5).getTotalCount());
        // and each second's percentiles are those of one histogram of that second's values, per metric and per kind
        for (int s = 1; s <= 5; s++) {
            Histogram exact = new Histogram(Stats.HIGHEST_MICROS, Stats.DIGITS);
            for (long v : a[s - 1]) {
                exact.recordValue(v);
            }
            if (s <= b.length) {
                for (long v : b[s - 1]) {
                    exact.recordValue(v);
                }
            }
            for (Histogram got : List.of(data.perSecond("ask").get(s), data.perSecond(Stats.Kind.REQUEST).get(s))) {
                assertEquals(exact.getTotalCount(), got.getTotalCount(), "second " + s);
                for (double p : new double[]{50, 90, 99, 100}) {
                    assertEquals(exact.getValueAtPercentile(p), got.getValueAtPercentile(p), "second " + s + " p" + p);
                }
            }
        }
        // gauges add up per second; counts and errors are summed
        assertEquals(350, data.timeline().get(1).active);
        assertEquals(100, data.timeline().get(5).active);
        assertEquals(350, data.peakConnections());
        assertEquals(7, data.errors().get("server:overloaded"));
        assertEquals(5 * 300 + 4 * 500, data.counts("ask")[0]);
        assertEquals(Map.of("ask", Stats.Kind.REQUEST, "connect", Stats.Kind.CONNECT), data.kinds());
        assertEquals(data.total("connect").getTotalCount(), data.total(Stats.Kind.CONNECT).getTotalCount());
    }

    @Test
    void progressLinesRoundTripAndMerge() {
        Histogram h1 = Progress.newHistogram(), h2 = Progress.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            h1.recordValue(i);
            h2.recordValue(i * 1000L);
        }
        Progress p1 = new Progress(3, 10, 12, 10, 20, 1000, 1, 5, 0, 2000, 3, Map.of("timeout", 1L), h1, Progress.newHistogram());
        Progress p2 = new Progress(3, 7, 7, 7, 9, 1000, 0, 2, 1, 1500, 1, Map.of("timeout", 2L, "closed", 1L), h2, Progress.newHistogram());
        Progress back = Progress.fromJson(new JsonObject(p1.toJson().encode()));
        assertEquals(p1.requests(), back.requests());
        assertEquals(p1.errors(), back.errors());
        Progress m = Progress.merge(3, List.of(back, Progress.fromJson(p2.toJson())));
        assertEquals(17, m.active());
        assertEquals(2000, m.requestsOk());
        assertEquals(Map.of("timeout", 3L, "closed", 1L), m.errors());
        assertEquals(2000, m.requests().getTotalCount());
        assertEquals(h2.getMaxValue(), m.requests().getMaxValue());
        assertEquals(1000, m.requests().getValueAtPercentile(50), 1000 * 0.001);
    }
}
