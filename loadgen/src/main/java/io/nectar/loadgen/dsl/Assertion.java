package io.nectar.loadgen.dsl;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail rule on a finished run's summary, e.g. {@code p99<500ms} or {@code errors<0.1%}; any failed
 * assertion makes the run exit non-zero. Latencies compare in milliseconds.
 *
 * @param metric    a request name ({@code ask}, {@code connect}) or null for all message round trips
 * @param stat      what is compared
 * @param op        the comparison
 * @param threshold the limit (ms for latencies, percent for {@link Stat#ERROR_PERCENT}, per second for throughput)
 * @param text      the rule as written
 */
public record Assertion(String metric, Stat stat, Op op, double threshold, String text) {

    public enum Stat {
        P50("p50"), P90("p90"), P99("p99"), P999("p99.9"), MAX("max"), MEAN("mean"),
        ERROR_PERCENT("errors%"), ERRORS("errors"), REQUESTS("requests"), THROUGHPUT("throughput"),
        CONNECTIONS_PEAK("connections");

        public final String label;

        Stat(String label) {
            this.label = label;
        }

        public boolean isLatency() {
            return ordinal() <= MEAN.ordinal();
        }
    }

    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("==");

        public final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean test(double actual, double limit) {
            return switch (this) {
                case LT -> actual < limit;
                case LE -> actual <= limit;
                case GT -> actual > limit;
                case GE -> actual >= limit;
                case EQ -> actual == limit;
            };
        }
    }

    public boolean passes(double actual) {
        return !Double.isNaN(actual) && op.test(actual, threshold);
    }

    private static final Pattern RULE = Pattern.compile(
            "\\s*(?:([A-Za-z][\\w.-]*?)\\.)?(p50|p90|p99|p99\\.9|p999|max|mean|errors|error_rate|requests|throughput|connections)"
                    + "\\s*(<=|>=|==|<|>)\\s*([0-9]*\\.?[0-9]+)\\s*(ms|s|us|%|/s)?\\s*");

    /**
     * Parses {@code [request.]stat op value[unit]}: stats {@code p50 p90 p99 p99.9 max mean} (units ms, s, us;
     * default ms), {@code errors} (with {@code %}: percent of operations, else a count), {@code requests},
     * {@code throughput} (/s), {@code connections} (peak). Throws IllegalArgumentException with the accepted forms.
     */
    public static Assertion parse(String text) {
        Matcher m = RULE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot read assertion '" + text + "'; write e.g. p99<500ms, "
                    + "ask.p99.9<2s, errors<0.1%, errors==0, requests>=1000, throughput>100/s, connections>=15000");
        }
        String metric = m.group(1);
        String statName = m.group(2);
        Op op = switch (m.group(3)) {
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case ">" -> Op.GT;
            case ">=" -> Op.GE;
            default -> Op.EQ;
        };
        double value = Double.parseDouble(m.group(4));
        String unit = m.group(5) == null ? "" : m.group(5);
        Stat stat = switch (statName) {
            case "p50" -> Stat.P50;
            case "p90" -> Stat.P90;
            case "p99" -> Stat.P99;
            case "p99.9", "p999" -> Stat.P999;
            case "max" -> Stat.MAX;
            case "mean" -> Stat.MEAN;
            case "errors" -> unit.equals("%") ? Stat.ERROR_PERCENT : Stat.ERRORS;
            case "error_rate" -> Stat.ERROR_PERCENT;
            case "requests" -> Stat.REQUESTS;
            case "throughput" -> Stat.THROUGHPUT;
            default -> Stat.CONNECTIONS_PEAK;
        };
        if (statName.equals("error_rate")) {
            value = unit.equals("%") ? value : value * 100; // a ratio: 0.001 = 0.1%
        }
        if (stat.isLatency()) {
            value = switch (unit) {
                case "s" -> value * 1000;
                case "us" -> value / 1000;
                case "", "ms" -> value;
                default -> throw new IllegalArgumentException("latency unit must be ms, s or us in '" + text + "'");
            };
        } else if (unit.equals("ms") || unit.equals("s") || unit.equals("us")) {
            throw new IllegalArgumentException("'" + statName + "' is not a latency in '" + text + "'");
        }
        return new Assertion(metric, stat, op, value, text.strip());
    }
}
