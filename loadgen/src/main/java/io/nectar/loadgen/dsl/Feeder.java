package io.nectar.loadgen.dsl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A loaded feeder: an immutable list of records and the rule that picks the next one. Thread-safe: any
 * event loop may call {@link #next()}. Built from a {@link FeederBuilder} before a run starts, so file
 * reading never happens on an event loop.
 */
public final class Feeder {

    /** How records are picked. */
    public enum Strategy {
        /** in file order, wrapping around */
        CIRCULAR,
        /** every record equally likely */
        UNIFORM,
        /** record of rank k with probability proportional to 1/k^s: a few questions most of the time */
        ZIPF
    }

    private final String name;
    private final List<Map<String, Object>> records;
    private final Strategy strategy;
    private final double[] cumulative; // ZIPF only: cumulative probability by rank
    private final AtomicLong cursor = new AtomicLong();

    Feeder(String name, List<Map<String, Object>> records, Strategy strategy, double zipfExponent) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("feeder " + name + " has no records");
        }
        this.name = name;
        this.records = List.copyOf(records);
        this.strategy = strategy;
        if (strategy == Strategy.ZIPF) {
            cumulative = new double[records.size()];
            double sum = 0;
            for (int k = 0; k < records.size(); k++) {
                sum += 1.0 / Math.pow(k + 1, zipfExponent);
                cumulative[k] = sum;
            }
            for (int k = 0; k < cumulative.length; k++) {
                cumulative[k] /= sum;
            }
        } else {
            cumulative = null;
        }
    }

    public String name() {
        return name;
    }

    public Strategy strategy() {
        return strategy;
    }

    /** The records in rank order (for ZIPF, index 0 is the most frequent). */
    public List<Map<String, Object>> records() {
        return records;
    }

    public int size() {
        return records.size();
    }

    public Map<String, Object> next() {
        return next(ThreadLocalRandom.current());
    }

    public Map<String, Object> next(RandomGenerator random) {
        return records.get(nextIndex(random));
    }

    /** The index (rank) of the next record. */
    public int nextIndex(RandomGenerator random) {
        return switch (strategy) {
            case CIRCULAR -> (int) (cursor.getAndIncrement() % records.size());
            case UNIFORM -> random.nextInt(records.size());
            case ZIPF -> {
                double u = random.nextDouble();
                int lo = 0, hi = cumulative.length - 1;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (cumulative[mid] < u) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                yield lo;
            }
        };
    }

    /** Probability of the record of this rank (for tests and reports). */
    public double probability(int rank) {
        return switch (strategy) {
            case CIRCULAR, UNIFORM -> 1.0 / records.size();
            case ZIPF -> rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
        };
    }
}
