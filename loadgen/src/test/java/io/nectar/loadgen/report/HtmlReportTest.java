package io.nectar.loadgen.report;

import io.nectar.loadgen.dsl.Assertion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {

    @TempDir
    Path dir;

    JsonObject summary(RunData data, List<Assertion> assertions) {
        return Summary.build(data, new Summary.RunInfo("faq-burst", "a burst", new JsonObject().put("users", "1200"),
                List.of("ws://127.0.0.1:18200/ws/chat"), 1, new JsonArray()), assertions);
    }

    @Test
    void summaryHasTheContractedFieldsAndAssertionResults() throws Exception {
        long[][] lat = {{1000, 2000, 3000}, {4000, 5000, 900_000}};
        RunFiles.write(dir.resolve("w0"), lat, 6, 1);
        RunData data = RunData.read(List.of(dir.resolve("w0")));
        JsonObject s = summary(data, List.of(Assertion.parse("p99<500ms"), Assertion.parse("errors<50%"), Assertion.parse("requests>=7")));
        for (String k : List.of("requests", "errors", "p50_ms", "p99_ms", "p999_ms", "max_ms", "throughput_per_s", "connections_peak")) {
            assertTrue(s.containsKey(k), k);
        }
        assertEquals(7, s.getLong("requests"));
        assertEquals(1, s.getLong("errors"));
        assertEquals(6, s.getLong("connections_peak"));
        assertEquals(900.0, s.getDouble("max_ms"), 1.0);
        assertEquals(3.0, s.getDouble("throughput_per_s"), 1e-9, "6 replies in 2 s");
        JsonArray a = s.getJsonArray("assertions");
        assertFalse(a.getJsonObject(0).getBoolean("passed"), "p99 is 900 ms");
        assertTrue(a.getJsonObject(1).getBoolean("passed"));
        assertTrue(a.getJsonObject(2).getBoolean("passed"));
        assertFalse(s.getBoolean("passed"));
    }

    @Test
    void reportIsOneSelfContainedFileWithItsCharts() throws Exception {
        long[][] lat = new long[12][];
        for (int i = 0; i < 12; i++) {
            lat[i] = new long[]{1000L * (i + 1), 2000L * (i + 1), 50_000L};
        }
        RunFiles.write(dir.resolve("w0"), lat, 40, 3);
        RunData data = RunData.read(List.of(dir.resolve("w0")));
        JsonObject s = summary(data, List.of(Assertion.parse("p99<10ms")));
        Path html = dir.resolve("r.html");
        HtmlReport.write(s, data, html);
        String page = Files.readString(html);

        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertFalse(page.contains("<script"), "no scripts");
        assertFalse(page.contains("http://") || page.contains("https://"), "nothing fetched: the machine may be offline");
        assertEquals(6, count(page, "<svg "), "reply latency, connect latency, throughput, connections, errors, distribution");
        for (String title : List.of("Reply latency percentiles", "Throughput per second", "Open connections", "Errors per second by kind",
                "Latency distribution")) {
            assertTrue(page.contains(title), title);
        }
        assertTrue(page.contains("server:overloaded"));
        assertTrue(page.contains("FAIL"), "the failed assertion is shown");
        // the p99 line of the latency chart has a point for every second
        Matcher m = Pattern.compile("<path d=\"([^\"]+)\" class=\"line\" stroke=\"[^\"]+\"><title>p99</title>").matcher(page);
        assertTrue(m.find());
        assertEquals(12, count(m.group(1), "M") + count(m.group(1), "L"));
    }

    @Test
    void chartsOfAnEmptyRunSayNoData() throws Exception {
        RunFiles.write(dir.resolve("w0"), new long[][]{{}}, 0, 0);
        RunData data = RunData.read(List.of(dir.resolve("w0")));
        String page = HtmlReport.render(summary(data, List.of()), data);
        assertTrue(page.contains("no data"));
        assertTrue(summary(data, List.of()).getValue("p99_ms") == null);
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
