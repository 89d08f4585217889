package io.nectar.gateway.numbers;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A merchant's period numbers in the Prometheus text format: each number a gauge
 * {@code nectar_merchant_<name>{merchant="…",window="30d"}}; the percentile objects
 * ({@code bot_first_reply_ms}, …) become one gauge with a {@code quantile} label; a number with no value
 * (a rate over nothing) is left out, as Prometheus has no null. Pure.
 */
final class PrometheusText {

    private PrometheusText() {
    }

    static String render(JsonObject numbers, String merchant, String window) {
        StringBuilder out = new StringBuilder();
        String labels = "merchant=\"" + escape(merchant) + "\",window=\"" + window + "\"";
        for (Map.Entry<String, Object> e : numbers) {
            String name = "nectar_merchant_" + e.getKey();
            if (e.getValue() instanceof Number n) {
                out.append("# TYPE ").append(name).append(" gauge\n");
                out.append(name).append('{').append(labels).append("} ").append(n.doubleValue()).append('\n');
            } else if (e.getValue() instanceof JsonObject q && q.containsKey("p50")) {
                out.append("# TYPE ").append(name).append(" gauge\n");
                for (String[] p : new String[][]{{"p50", "0.5"}, {"p90", "0.9"}, {"p99", "0.99"}}) {
                    if (q.getValue(p[0]) instanceof Number n) {
                        out.append(name).append('{').append(labels).append(",quantile=\"").append(p[1]).append("\"} ")
                                .append(n.doubleValue()).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
