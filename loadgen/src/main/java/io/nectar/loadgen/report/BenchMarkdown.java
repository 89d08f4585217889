package io.nectar.loadgen.report;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Markdown tables of run summaries, for BENCHMARKS.md: {@code ops/loadgen markdown SUMMARY.json...}.
 * Encoder-throughput results (from the encoder benchmark) get their own table.
 */
public final class BenchMarkdown {

    private BenchMarkdown() {
    }

    public static String table(List<Path> files) throws IOException {
        StringBuilder runs = new StringBuilder();
        StringBuilder encoders = new StringBuilder();
        double bestFaq = 0, bestEncoder = 0;
        String bestFaqRun = null;
        for (Path f : files) {
            JsonObject s = new JsonObject(Files.readString(f));
            String label = f.getFileName().toString().replaceFirst("\\.json$", "");
            if ("encoder-throughput".equals(s.getString("benchmark"))) {
                if (encoders.length() == 0) {
                    encoders.append("| run | encoder | threads × intra-op | batch | sentences/s | batch p50 ms | batch p99 ms |\n")
                            .append("| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
                }
                encoders.append(String.format(Locale.ROOT, "| %s | %s | %d × %d | %d | %,.0f | %s | %s |%n", label, s.getString("encoder"),
                        s.getInteger("threads"), s.getInteger("intra_op_threads"), s.getInteger("batch"), s.getDouble("sentences_per_s"),
                        s.getValue("batch_p50_ms"), s.getValue("batch_p99_ms")));
                bestEncoder = Math.max(bestEncoder, s.getDouble("sentences_per_s"));
                continue;
            }
            if (runs.length() == 0) {
                runs.append("| run | requests | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | replies/s | peak conns | connect p99 ms | server heap/conn | server RSS/conn | generator lag max ms |\n")
                        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            }
            if (label.startsWith("faq-") && s.getDouble("error_percent") < 1 && s.getDouble("throughput_per_s") > bestFaq) {
                bestFaq = s.getDouble("throughput_per_s");
                bestFaqRun = label;
            }
            JsonObject per = s.getJsonObject("per_connection");
            runs.append(String.format(Locale.ROOT, "| %s | %,d | %,d (%s%%) | %s | %s | %s | %s | %s | %,.1f | %,d | %s | %s | %s | %s |%n", label,
                    s.getLong("requests"), s.getLong("errors"), s.getValue("error_percent"), v(s, "p50_ms"), v(s, "p90_ms"), v(s, "p99_ms"),
                    v(s, "p999_ms"), v(s, "max_ms"), s.getDouble("throughput_per_s"), s.getLong("connections_peak"),
                    v(s.getJsonObject("connects"), "p99_ms"),
                    per == null ? "" : String.format(Locale.ROOT, "%,d B", per.getLong("heap_bytes")),
                    per == null ? "" : String.format(Locale.ROOT, "%,d B", per.getLong("rss_bytes")), v(s, "generator_lag_max_ms")));
        }
        String ratio = bestFaqRun != null && bestEncoder > 0 ? String.format(Locale.ROOT,
                "%nBest FAQ throughput with under 1%% errors: %,.1f replies/s (%s); encoder alone: %,.0f sentences/s; ratio %.2f.%n",
                bestFaq, bestFaqRun, bestEncoder, bestFaq / bestEncoder) : "";
        return runs + (runs.length() > 0 && encoders.length() > 0 ? "\n" : "") + encoders + ratio;
    }

    private static String v(JsonObject o, String key) {
        Object x = o == null ? null : o.getValue(key);
        return x == null ? "–" : x.toString();
    }
}
