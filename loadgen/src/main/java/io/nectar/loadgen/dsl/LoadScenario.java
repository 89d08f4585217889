package io.nectar.loadgen.dsl;

import java.util.Map;

/**
 * A named, runnable load test: {@code ops/loadgen NAME [options]}. Built-ins ship with loadgen; your own
 * is a class with a public no-argument constructor, run as {@code ops/loadgen com.acme.MyScenario} (on
 * the classpath) or {@code ops/loadgen path/MyScenario.java} (compiled on the fly).
 */
public interface LoadScenario {

    /** The name used on the command line and in reports. */
    String name();

    /** One line for {@code --help} and the report. */
    String description();

    /** The options this scenario reads, name (without --) to help text, for {@code --help}. */
    Map<String, String> options();

    /**
     * Builds the simulation from the command line. Targets, assertions, seed and limits given as common
     * options are applied afterwards by the runner.
     */
    Simulation simulation(ScenarioOptions options);
}
