package io.nectar.nlu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing in the library opens a network connection, first run included: a fresh JVM with an empty home,
 * cache and temp directory, and without the offline switches set by the caller (the library must set them
 * itself), runs every model path under a {@link NetworkGuard}.
 */
class NoNetworkTest {

    @Test
    void firstRunOfEveryModelPathMakesNoConnection(@TempDir Path home) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx1g",
                "-Duser.home=" + home, "-Djava.io.tmpdir=" + home.resolve("tmp"),
                "-cp", System.getProperty("java.class.path"), NoNetworkMain.class.getName()));
        java.nio.file.Files.createDirectories(home.resolve("tmp"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DJL_OFFLINE");
        pb.environment().remove("OPT_OUT_TRACKING");
        pb.environment().put("DJL_CACHE_DIR", home.resolve("djl").toString());
        pb.environment().put("ENGINE_CACHE_DIR", home.resolve("engines").toString());
        Process p = pb.start();
        String out;
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish");
        } finally {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("SELF-CHECK selector=true direct=true"), "the guard must see every kind of test connection: " + out);
        assertTrue(out.contains("ATTEMPTS 0 []"), "connections were attempted: " + lastLines(out));
    }

    @Test
    void theGuardCatchesDjlTelemetryWhenOfflineModeIsOff(@TempDir Path home) throws Exception {
        // Proves the guard would see the connection this library prevents: DJL's call home
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Dai.djl.offline=false", "-DOPT_OUT_TRACKING=false",
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), TelemetryProbeMain.class.getName())
                .redirectErrorStream(true);
        pb.environment().remove("DJL_OFFLINE");
        pb.environment().remove("OPT_OUT_TRACKING");
        Process p = pb.start();
        String out;
        try {
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        } finally {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.destroyForcibly();
        }
        String attempts = out.substring(out.indexOf("ATTEMPTS"));
        assertTrue(attempts.contains("socket") && attempts.contains("169.254.169.254"), "DJL's call home was not seen: " + out);
    }

    private static String lastLines(String out) throws IOException {
        String[] lines = out.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 20), lines.length));
    }
}
