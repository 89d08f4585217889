package io.nectar.loadgen.report;

import io.nectar.loadgen.engine.Stats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTML report of a run: one self-contained file (inline CSS and SVG, no scripts, nothing fetched),
 * with the summary tables and charts over time of reply latency percentiles, throughput, open
 * connections and errors, plus the latency distribution.
 */
public final class HtmlReport {

    private static final int W = 920, H = 300;

    private HtmlReport() {
    }

    public static void write(JsonObject summary, RunData data, Path file) throws IOException {
        Files.writeString(file, render(summary, data), StandardCharsets.UTF_8);
    }

    public static String render(JsonObject s, RunData data) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = "Nectar loadgen: " + s.getString("scenario");
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:980px}")
                .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}")
                .append("th{background:#f4f4f4}td.l,th.l{text-align:left}.pass{color:#2a7d2a;font-weight:bold}.fail{color:#c62828;font-weight:bold}")
                .append(".tiles{display:flex;flex-wrap:wrap;gap:10px}.tile{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:120px}")
                .append(".tile b{display:block;font-size:20px}.chart{display:block;margin:10px 0}.chart .title{font-weight:bold;font-size:13px}")
                .append(".chart .plot{fill:#fff;stroke:#bbb}.chart .grid{stroke:#eee}.chart .tick,.chart .legend{font-size:11px;fill:#555}")
                .append(".chart .axis{font-size:12px;fill:#333}.chart .line{fill:none;stroke-width:1.6}.chart .empty{fill:#999}")
                .append("</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1>");
        h.append("<p>").append(esc(s.getString("description", ""))).append("</p>");
        h.append("<p>Started ").append(esc(s.getString("started_at"))).append(", ran ").append(s.getDouble("duration_s"))
                .append(" s in ").append(s.getInteger("processes")).append(" process(es) against ")
                .append(esc(String.join(", ", s.getJsonArray("targets").stream().map(String::valueOf).toList()))).append(".");
        if (s.getBoolean("interrupted", false)) {
            h.append(" <span class=\"fail\">The run was interrupted.</span>");
        }
        h.append("</p>");

        h.append("<div class=\"tiles\">");
        tile(h, "requests", String.format(Locale.ROOT, "%,d", s.getLong("requests")));
        tile(h, "errors", String.format(Locale.ROOT, "%,d (%s%%)", s.getLong("errors"), s.getDouble("error_percent")));
        tile(h, "p50", msText(s.getDouble("p50_ms")));
        tile(h, "p99", msText(s.getDouble("p99_ms")));
        tile(h, "p99.9", msText(s.getDouble("p999_ms")));
        tile(h, "max", msText(s.getDouble("max_ms")));
        tile(h, "throughput", String.format(Locale.ROOT, "%,.1f/s", s.getDouble("throughput_per_s")));
        tile(h, "peak connections", String.format(Locale.ROOT, "%,d", s.getLong("connections_peak")));
        h.append("</div>");

        JsonArray assertions = s.getJsonArray("assertions");
        if (assertions != null && !assertions.isEmpty()) {
            h.append("<h2>Assertions</h2><table><tr><th class=\"l\">assertion</th><th>actual</th><th>result</th></tr>");
            for (Object o : assertions) {
                JsonObject a = (JsonObject) o;
                boolean ok = a.getBoolean("passed");
                h.append("<tr><td class=\"l\">").append(esc(a.getString("assertion"))).append("</td><td>")
                        .append(a.getValue("actual") == null ? "n/a" : a.getValue("actual")).append("</td><td class=\"")
                        .append(ok ? "pass\">pass" : "fail\">FAIL").append("</td></tr>");
            }
            h.append("</table>");
        }

        h.append("<h2>Requests</h2><p>Latency runs from the intended send time (corrected for coordinated omission); ")
                .append("percentiles are over answers received. Connects run from the scheduled arrival to the welcome frame.</p>");
        h.append("<table><tr><th class=\"l\">name</th><th class=\"l\">kind</th><th>ok</th><th>ko</th><th>p50 ms</th><th>p90 ms</th>")
                .append("<th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>mean ms</th></tr>");
        s.getJsonObject("metrics").forEach(e -> {
            JsonObject m = (JsonObject) e.getValue();
            h.append("<tr><td class=\"l\">").append(esc(e.getKey())).append("</td><td class=\"l\">").append(m.getString("kind"))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%,d", m.getLong("ok"))).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", m.getLong("ko"))).append("</td>");
            for (String k : List.of("p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "mean_ms")) {
                h.append("<td>").append(m.getValue(k) == null ? "" : m.getValue(k)).append("</td>");
            }
            h.append("</tr>");
        });
        h.append("</table>");

        JsonObject errors = s.getJsonObject("errors_by_kind");
        h.append("<h2>Errors by kind</h2>");
        if (errors.isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<table><tr><th class=\"l\">kind</th><th>count</th></tr>");
            errors.forEach(e -> h.append("<tr><td class=\"l\">").append(esc(e.getKey())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", ((Number) e.getValue()).longValue())).append("</td></tr>"));
            h.append("</table>");
        }

        JsonArray probes = s.getJsonArray("server_probes");
        if (probes != null && !probes.isEmpty()) {
            h.append("<h2>Server memory</h2><table><tr><th class=\"l\">pid</th><th class=\"l\">when</th><th>at s</th><th>connections</th>")
                    .append("<th>heap used MiB</th><th>RSS MiB</th></tr>");
            for (Object o : probes) {
                JsonObject p = (JsonObject) o;
                h.append("<tr><td class=\"l\">").append(p.getValue("pid")).append("</td><td class=\"l\">").append(esc(p.getString("label", "")))
                        .append("</td><td>").append(p.getValue("at_s")).append("</td><td>").append(p.getValue("connections"))
                        .append("</td><td>").append(mib(p.getLong("heap_used_bytes"))).append("</td><td>").append(mib(p.getLong("rss_bytes")))
                        .append("</td></tr>");
            }
            h.append("</table>");
            JsonObject per = s.getJsonObject("per_connection");
            if (per != null) {
                h.append("<p>Per connection (loaded minus before, over ").append(per.getValue("connections")).append(" connections): heap ")
                        .append(per.getValue("heap_bytes")).append(" B, RSS ").append(per.getValue("rss_bytes")).append(" B.</p>");
            }
        }

        h.append("<h2>Over time</h2>");
        charts(data).forEach(c -> h.append(c.render(W, H)));

        h.append("<h2>Settings</h2><table>");
        s.getJsonObject("options").forEach(e -> h.append("<tr><td class=\"l\">").append(esc(e.getKey())).append("</td><td class=\"l\">")
                .append(esc(String.valueOf(e.getValue()))).append("</td></tr>"));
        s.getJsonObject("machine").forEach(e -> h.append("<tr><td class=\"l\">machine ").append(esc(e.getKey())).append("</td><td class=\"l\">")
                .append(esc(String.valueOf(e.getValue()))).append("</td></tr>"));
        h.append("<tr><td class=\"l\">generator lag max</td><td class=\"l\">").append(s.getValue("generator_lag_max_ms")).append(" ms</td></tr>");
        h.append("</table></body></html>\n");
        return h.toString();
    }

    /** The charts of a run, in report order (also used by tests). */
    public static List<SvgChart> charts(RunData data) {
        List<SvgChart> charts = new ArrayList<>();
        Map<String, Stats.Kind> kinds = data.kinds();
        TreeMap<Integer, RunData.Second> timeline = data.timeline();
        int n = timeline.isEmpty() ? 0 : timeline.lastKey();
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i + 1;
        }

        charts.add(percentileChart("Reply latency percentiles per second (ms, log scale)", data.perSecond(Stats.Kind.REQUEST), xs));
        if (kinds.containsValue(Stats.Kind.CONNECT)) {
            charts.add(percentileChart("Connect latency percentiles per second (ms, log scale)", data.perSecond(Stats.Kind.CONNECT), xs));
        }

        double[] ok = new double[n], ko = new double[n], conn = new double[n], active = new double[n], peak = new double[n], live = new double[n];
        Map<String, double[]> errorLines = new TreeMap<>();
        Map<String, Long> errorTotals = data.errors();
        List<String> topErrors = errorTotals.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(7).map(Map.Entry::getKey).toList();
        for (int i = 0; i < n; i++) {
            RunData.Second sec = timeline.get(i + 1);
            if (sec == null) {
                ok[i] = ko[i] = conn[i] = active[i] = peak[i] = live[i] = Double.NaN;
                continue;
            }
            ok[i] = sec.ok(Stats.Kind.REQUEST, kinds);
            ko[i] = sec.ko(Stats.Kind.REQUEST, kinds);
            conn[i] = sec.ok(Stats.Kind.CONNECT, kinds);
            active[i] = sec.active;
            peak[i] = sec.peak;
            live[i] = sec.usersLive;
            for (String kind : topErrors) {
                errorLines.computeIfAbsent(kind, k -> new double[n])[i] = sec.errors.getOrDefault(kind, 0L);
            }
        }
        charts.add(new SvgChart("Throughput per second", "seconds", "per second").xRange(1, Math.max(1, n))
                .add("replies ok", SvgChart.PALETTE[2], xs, ok, false)
                .add("requests ko", SvgChart.PALETTE[3], xs, ko, false)
                .add("connects ok", SvgChart.PALETTE[0], xs, conn, true));
        charts.add(new SvgChart("Open connections", "seconds", "connections").xRange(1, Math.max(1, n))
                .add("open at end of second", SvgChart.PALETTE[0], xs, active, false)
                .add("peak in second", SvgChart.PALETTE[1], xs, peak, true)
                .add("users live", SvgChart.PALETTE[4], xs, live, true));
        SvgChart err = new SvgChart("Errors per second by kind", "seconds", "errors per second").xRange(1, Math.max(1, n));
        int c = 3;
        for (Map.Entry<String, double[]> e : errorLines.entrySet()) {
            err.add(e.getKey(), SvgChart.PALETTE[c++ % SvgChart.PALETTE.length], xs, e.getValue(), false);
        }
        if (errorLines.isEmpty()) {
            double[] zero = new double[n];
            err.add("errors", SvgChart.PALETTE[3], xs, zero, false);
        }
        charts.add(err);
        charts.add(distributionChart(data));
        return charts;
    }

    private static SvgChart percentileChart(String title, TreeMap<Integer, Histogram> perSecond, double[] xs) {
        int n = xs.length;
        double[] p50 = nan(n), p90 = nan(n), p99 = nan(n), max = nan(n);
        perSecond.forEach((sec, hist) -> {
            int i = sec - 1;
            if (i >= 0 && i < n && hist.getTotalCount() > 0) {
                p50[i] = hist.getValueAtPercentile(50) / 1000.0;
                p90[i] = hist.getValueAtPercentile(90) / 1000.0;
                p99[i] = hist.getValueAtPercentile(99) / 1000.0;
                max[i] = hist.getMaxValue() / 1000.0;
            }
        });
        return new SvgChart(title, "seconds", "ms").logY(true).xRange(1, Math.max(1, n))
                .add("p50", SvgChart.PALETTE[0], xs, p50, false)
                .add("p90", SvgChart.PALETTE[2], xs, p90, false)
                .add("p99", SvgChart.PALETTE[1], xs, p99, false)
                .add("max", SvgChart.PALETTE[3], xs, max, true);
    }

    /** Latency by percentile over the whole run; x is log10(1/(1-p)) so the tail gets room. */
    private static SvgChart distributionChart(RunData data) {
        double[] pct = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999};
        double[] xs = new double[pct.length];
        String[] labels = {"0", "50", "", "90", "", "99", "", "99.9", "", "99.99", "99.999"};
        for (int i = 0; i < pct.length; i++) {
            xs[i] = Math.log10(100.0 / (100.0 - pct[i]));
        }
        SvgChart chart = new SvgChart("Latency distribution over the run (ms, log scale)", "percentile", "ms").logY(true)
                .xTicks(xs, labels);
        int c = 0;
        for (Map.Entry<String, Stats.Kind> e : data.kinds().entrySet()) {
            Histogram h = data.total(e.getKey());
            if (h.getTotalCount() == 0) {
                continue;
            }
            double[] ys = new double[pct.length];
            for (int i = 0; i < pct.length; i++) {
                ys[i] = (pct[i] == 0 ? h.getMinValue() : h.getValueAtPercentile(pct[i])) / 1000.0;
            }
            chart.add(e.getKey() + " (" + e.getValue().name().toLowerCase(Locale.ROOT) + ")", SvgChart.PALETTE[c++ % SvgChart.PALETTE.length],
                    xs, ys, e.getValue() != Stats.Kind.REQUEST);
        }
        return chart;
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    private static void tile(StringBuilder h, String label, String value) {
        h.append("<div class=\"tile\">").append(esc(label)).append("<b>").append(esc(value)).append("</b></div>");
    }

    private static String msText(Double ms) {
        return ms == null ? "n/a" : ms + " ms";
    }

    private static String mib(Long bytes) {
        return bytes == null ? "" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    static String esc(String s) {
        return s == null ? "" : SvgChart.esc(s);
    }
}
