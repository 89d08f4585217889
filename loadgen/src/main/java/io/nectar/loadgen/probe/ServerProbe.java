package io.nectar.loadgen.probe;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a server process on this machine: live heap after a full GC ({@code jcmd PID GC.class_histogram},
 * which collects first and totals what survives) and resident memory ({@code VmRSS} of /proc/PID/status).
 * Blocking (runs a child process); call it from a plain thread.
 */
public final class ServerProbe {

    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    /**
     * One measurement.
     *
     * @param connections open connections the load generator held at that moment
     * @param heapUsedBytes live heap after a full GC
     */
    public record Reading(long pid, String label, double atSeconds, long connections, long heapUsedBytes, long rssBytes) {
        public JsonObject toJson() {
            return new JsonObject().put("pid", pid).put("label", label).put("at_s", Math.round(atSeconds * 10) / 10.0)
                    .put("connections", connections).put("heap_used_bytes", heapUsedBytes).put("rss_bytes", rssBytes);
        }
    }

    private ServerProbe() {
    }

    /**
     * Measures {@code pid}; if {@code histogramFile} is not null, writes the top of the class histogram
     * there (where the bytes go).
     */
    public static Reading measure(long pid, String label, double atSeconds, long connections, Path histogramFile)
            throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " GC.class_histogram failed: " + new String(out, StandardCharsets.UTF_8).strip());
        }
        List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
        long heap = -1;
        for (String line : lines) {
            Matcher m = TOTAL.matcher(line.strip());
            if (m.matches()) {
                heap = Long.parseLong(m.group(2));
            }
        }
        if (heap < 0) {
            throw new IOException("no Total line in the class histogram of " + pid);
        }
        if (histogramFile != null) {
            // the biggest classes, plus every class of the project's own (what a conversation costs beyond the transport)
            List<String> kept = new java.util.ArrayList<>(lines.subList(0, Math.min(lines.size(), 60)));
            lines.stream().skip(60).filter(l -> l.contains("io.nectar.") || l.startsWith("Total")).forEach(kept::add);
            Files.write(histogramFile, kept, StandardCharsets.UTF_8);
        }
        return new Reading(pid, label, atSeconds, connections, heap, settledRss(pid));
    }

    /**
     * Resident memory once the full GC above has finished giving memory back: G1 uncommits the heap it
     * shrank concurrently, some hundreds of milliseconds after the collection, so a reading taken at once
     * can count tens of MiB that are about to go (a "before" reading that high made a gateway's RSS per
     * connection come out negative). Polls every 250 ms until two readings in a row moved less than
     * 256 KiB, for at most 10 s.
     */
    static long settledRss(long pid) throws IOException, InterruptedException {
        long last = rss(pid);
        int still = 0;
        for (int i = 0; i < 40 && still < 2; i++) {
            Thread.sleep(250);
            long now = rss(pid);
            still = Math.abs(now - last) < 256 * 1024 ? still + 1 : 0;
            last = now;
        }
        return last;
    }

    /** Resident set size of a process in bytes (Linux). */
    public static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /**
     * Bytes per connection between a "before" and a "loaded" reading of the same processes:
     * (sum of loaded − sum of before) / connections at the loaded reading.
     */
    public static JsonObject perConnection(List<Reading> before, List<Reading> loaded) {
        long heap = 0, rss = 0, connections = 0;
        for (Reading r : loaded) {
            heap += r.heapUsedBytes();
            rss += r.rssBytes();
            connections = r.connections();
        }
        for (Reading r : before) {
            heap -= r.heapUsedBytes();
            rss -= r.rssBytes();
        }
        if (connections <= 0) {
            return null;
        }
        return new JsonObject().put("connections", connections).put("heap_bytes", heap / connections)
                .put("rss_bytes", rss / connections).put("processes", loaded.size());
    }
}
