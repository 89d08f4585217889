package io.nectar.loadgen.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line: {@code SCENARIO --name value --flag ...}. Values may also be written
 * {@code --name=value}; repeated options keep every value in order.
 *
 * @param scenario the first non-option word (null if none)
 * @param pairs    options in the order given; a flag has a null value
 */
public record CommandLine(String scenario, List<String[]> pairs) {

    /** Options that take no value. */
    public static final Set<String> FLAGS = Set.of("help", "quiet", "probe-histogram");

    public static CommandLine parse(String[] args) {
        String scenario = null;
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h")) {
                a = "--help";
            }
            if (!a.startsWith("--")) {
                if (scenario != null) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "' (options start with --; try --help)");
                }
                scenario = a;
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (!FLAGS.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value (try --help)");
                }
                value = args[++i];
            }
            pairs.add(new String[]{name, value});
        }
        return new CommandLine(scenario, pairs);
    }

    public boolean flag(String name) {
        return pairs.stream().anyMatch(p -> p[0].equals(name));
    }

    /** Valued options by name (values split on commas for list options is up to the reader). */
    public Map<String, List<String>> options() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String[] p : pairs) {
            if (p[1] != null) {
                m.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
            }
        }
        return m;
    }

    /** The arguments again, without the named options (for a worker's command line). */
    public List<String> argsWithout(Set<String> drop) {
        List<String> out = new ArrayList<>();
        if (scenario != null) {
            out.add(scenario);
        }
        for (String[] p : pairs) {
            if (drop.contains(p[0])) {
                continue;
            }
            out.add("--" + p[0]);
            if (p[1] != null) {
                out.add(p[1]);
            }
        }
        return out;
    }
}
