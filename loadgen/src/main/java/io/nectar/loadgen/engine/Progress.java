package io.nectar.loadgen.engine;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;

/**
 * One second of a run as the console shows it (interval counts and latencies, current gauges), and how
 * a worker process sends it to the coordinator: one JSON line with compressed histograms.
 *
 * @param second     index of the interval that just ended (1 = the first second)
 * @param requestsOk message round trips answered in the interval (REQUEST metrics)
 * @param requests   interval latencies of all REQUEST metrics, µs
 * @param connects   interval latencies of connects, µs
 */
public record Progress(int second, long active, long peakInInterval, long usersLive, long usersStarted,
                       long requestsOk, long requestsKo, long connectsOk, long connectsKo, long totalRequests,
                       long totalErrors, Map<String, Long> errors, Histogram requests, Histogram connects) {

    public static Histogram newHistogram() {
        return new Histogram(Stats.HIGHEST_MICROS, Stats.DIGITS);
    }

    public JsonObject toJson() {
        JsonObject e = new JsonObject();
        errors.forEach(e::put);
        return new JsonObject().put("second", second).put("active", active).put("peak", peakInInterval)
                .put("usersLive", usersLive).put("usersStarted", usersStarted)
                .put("requestsOk", requestsOk).put("requestsKo", requestsKo)
                .put("connectsOk", connectsOk).put("connectsKo", connectsKo)
                .put("totalRequests", totalRequests).put("totalErrors", totalErrors).put("errors", e)
                .put("requests", encode(requests)).put("connects", encode(connects));
    }

    public static Progress fromJson(JsonObject j) {
        Map<String, Long> errors = new TreeMap<>();
        j.getJsonObject("errors", new JsonObject()).forEach(en -> errors.put(en.getKey(), ((Number) en.getValue()).longValue()));
        return new Progress(j.getInteger("second"), j.getLong("active"), j.getLong("peak"), j.getLong("usersLive"),
                j.getLong("usersStarted"), j.getLong("requestsOk"), j.getLong("requestsKo"), j.getLong("connectsOk"),
                j.getLong("connectsKo"), j.getLong("totalRequests"), j.getLong("totalErrors"), errors,
                decode(j.getString("requests")), decode(j.getString("connects")));
    }

    /** Sums the same second of several processes. */
    public static Progress merge(int second, Iterable<Progress> parts) {
        long active = 0, peak = 0, live = 0, started = 0, rok = 0, rko = 0, cok = 0, cko = 0, tr = 0, te = 0;
        Map<String, Long> errors = new TreeMap<>();
        Histogram req = newHistogram(), con = newHistogram();
        for (Progress p : parts) {
            active += p.active;
            peak += p.peakInInterval;
            live += p.usersLive;
            started += p.usersStarted;
            rok += p.requestsOk;
            rko += p.requestsKo;
            cok += p.connectsOk;
            cko += p.connectsKo;
            tr += p.totalRequests;
            te += p.totalErrors;
            p.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            req.add(p.requests);
            con.add(p.connects);
        }
        return new Progress(second, active, peak, live, started, rok, rko, cok, cko, tr, te, errors, req, con);
    }

    /** The console line: {@code [  12s] conns 14,872 | users 14,900 | req/s 1,400 ok 2 ko | p50 3.1 p99 45.0 max 80 ms | ...}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("[%5ds] conns %,d  users %,d (started %,d)  req/s %,d ok %,d ko", second, active,
                usersLive, usersStarted, requestsOk, requestsKo));
        if (connectsOk + connectsKo > 0) {
            sb.append(String.format("  conn/s %,d ok %,d ko", connectsOk, connectsKo));
        }
        if (requests.getTotalCount() > 0) {
            sb.append(String.format("  p50 %s p99 %s max %s ms", ms(requests.getValueAtPercentile(50)),
                    ms(requests.getValueAtPercentile(99)), ms(requests.getMaxValue())));
        }
        sb.append(String.format("  total %,d req %,d err", totalRequests, totalErrors));
        if (!errors.isEmpty()) {
            sb.append("  ").append(errors);
        }
        return sb.toString();
    }

    private static String ms(long micros) {
        double ms = micros / 1000.0;
        return ms < 10 ? String.format("%.2f", ms) : ms < 100 ? String.format("%.1f", ms) : String.format("%.0f", ms);
    }

    static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    static Histogram decode(String s) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("bad histogram in progress line", e);
        }
    }
}
