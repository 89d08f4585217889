package io.nectar.loadgen.dsl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command-line options a scenario reads ({@code --users 1000 --within 10}), typed and checked. Every
 * value read is remembered so the runner can refuse options nobody read (typos).
 */
public final class ScenarioOptions {

    private final Map<String, List<String>> values;
    private final Set<String> read = new HashSet<>();

    public ScenarioOptions(Map<String, List<String>> values) {
        this.values = new LinkedHashMap<>(values);
    }

    public boolean has(String name) {
        read.add(name);
        return values.containsKey(name);
    }

    public String string(String name, String def) {
        read.add(name);
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? def : v.get(v.size() - 1);
    }

    public List<String> strings(String name) {
        read.add(name);
        return values.getOrDefault(name, List.of());
    }

    public int integer(String name, int def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + v + "'");
        }
    }

    public double number(String name, double def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, was '" + v + "'");
        }
    }

    /** A duration in seconds ({@code 10}, {@code 2.5}) or with a unit ({@code 500ms}, {@code 2m}). */
    public Duration duration(String name, Duration def) {
        String v = string(name, null);
        return v == null ? def : parseDuration(name, v);
    }

    public static Duration parseDuration(String name, String v) {
        String s = v.strip().toLowerCase(java.util.Locale.ROOT);
        double mult = 1000;
        if (s.endsWith("ms")) {
            mult = 1;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = 60_000;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            mult = 3_600_000;
            s = s.substring(0, s.length() - 1);
        }
        try {
            double ms = Double.parseDouble(s) * mult;
            if (ms < 0 || Double.isNaN(ms)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (ms * 1_000_000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration like 10, 2.5s, 500ms or 2m; was '" + v + "'");
        }
    }

    /** The merchant id to chat with ({@code --merchant}, default {@code demo}). */
    public String merchant() {
        return string("merchant", "demo");
    }

    /** How long to wait for a reply or a welcome ({@code --timeout}, default 30 s). */
    public Duration timeout() {
        return duration("timeout", Action.DEFAULT_TIMEOUT);
    }

    /**
     * The question feeder: {@code --feeder FILE} (JSONL or CSV; default the bundled demo-store questions),
     * {@code --field NAME} (the question's field, default {@code text}), {@code --pick uniform|zipf|circular}
     * (default uniform), {@code --zipf-exponent S} (default 1.0). The question is attribute {@code text}.
     */
    public FeederBuilder feeder() {
        String file = string("feeder", null);
        String field = string("field", "text");
        FeederBuilder f = file == null ? Feeders.demoQuestions() : Feeders.file(Path.of(file));
        if (!field.equals("text")) {
            f = f.rename(field, "text");
        }
        f = f.require("text").seed(integer("seed", (int) io.nectar.loadgen.LoadgenDefaults.SEED));
        String pick = string("pick", "uniform");
        double exponent = number("zipf-exponent", FeederBuilder.DEFAULT_ZIPF_EXPONENT); // read always: harmless with other picks
        return switch (pick) {
            case "uniform" -> f.uniform();
            case "circular" -> f.circular();
            case "zipf" -> f.zipf(exponent);
            default -> throw new IllegalArgumentException("--pick must be uniform, zipf or circular; was '" + pick + "'");
        };
    }

    /** Options given but never read. */
    public Set<String> unread() {
        Set<String> s = new HashSet<>(values.keySet());
        s.removeAll(read);
        return s;
    }

    /** Everything given, for the report. */
    public Map<String, List<String>> all() {
        return values;
    }
}
