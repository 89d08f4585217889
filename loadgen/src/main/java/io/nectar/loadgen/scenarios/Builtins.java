package io.nectar.loadgen.scenarios;

import io.nectar.loadgen.dsl.LoadScenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scenarios that ship with loadgen, by command-line name. */
public final class Builtins {

    /** Help for the feeder options {@link io.nectar.loadgen.dsl.ScenarioOptions#feeder()} reads. */
    static final Map<String, String> FEEDER_OPTIONS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("feeder", "questions file, JSONL or CSV (default: bundled demo-store questions, zh and en)");
        m.put("field", "the field holding the question (default text)");
        m.put("pick", "uniform | zipf | circular (default uniform)");
        m.put("zipf-exponent", "skew of --pick zipf: rank k is picked in proportion to 1/k^s (default 1.0)");
        FEEDER_OPTIONS = java.util.Collections.unmodifiableMap(m);
    }

    private Builtins() {
    }

    public static List<LoadScenario> all() {
        return List.of(new FaqBurst(), new IdleConnections(), new SteadyRate(), new Conversation());
    }

    public static LoadScenario byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
