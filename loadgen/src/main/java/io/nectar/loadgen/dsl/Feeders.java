package io.nectar.loadgen.dsl;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where feeders come from: JSONL and CSV files, a bundled question list, or records in memory. */
public final class Feeders {

    /** Shopper questions (zh and en) about the bundled demo store: attribute {@code text}, plus {@code lang}. */
    public static final String DEMO_QUESTIONS = "/io/nectar/loadgen/demo-questions.jsonl";

    private Feeders() {
    }

    /** One JSON object a line; each object's fields become attributes. */
    public static FeederBuilder jsonl(Path path) {
        return FeederBuilder.of(path.getFileName().toString(), FeederBuilder.jsonlFile(path));
    }

    /** RFC 4180 CSV with a header row; columns become attributes. */
    public static FeederBuilder csv(Path path) {
        return FeederBuilder.of(path.getFileName().toString(), FeederBuilder.csvFile(path));
    }

    /** A file by extension: {@code .csv} is CSV, anything else JSONL. */
    public static FeederBuilder file(Path path) {
        return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? csv(path) : jsonl(path);
    }

    /** The bundled demo-store questions. */
    public static FeederBuilder demoQuestions() {
        return FeederBuilder.of("demo-questions", FeederBuilder.jsonlResource(DEMO_QUESTIONS));
    }

    public static FeederBuilder of(String name, List<Map<String, Object>> records) {
        List<Map<String, Object>> copy = List.copyOf(records);
        return FeederBuilder.of(name, () -> copy);
    }
}
