package io.nectar.gateway.ops;

import io.nectar.gateway.GatewayConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ops/run} itself, run by bash on a fresh copy of the sources (no jar, no target/): {@code --help}
 * prints the gateway's usage without building, and two {@code ops/run} started at once build once, the
 * second waiting for the first, with no Maven colour codes in what they print.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsRunScriptTest {

    static Path root;
    static Path copy;

    @BeforeAll
    static void freshCopy() throws IOException {
        root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("ops/run")), "the repository root: " + root);
        copy = Path.of("target", "ops-run-copy").toAbsolutePath();
        delete(copy);
        Set<String> skip = Set.of("target", ".git", "data", "bench-results", "loadgen-results", "node_modules");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = root.relativize(p);
                boolean skipped = false;
                for (Path part : rel) {
                    skipped |= skip.contains(part.toString()) || part.toString().equals(".build.lock");
                }
                if (skipped || rel.toString().isEmpty()) {
                    continue;
                }
                Path to = copy.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @AfterAll
    static void removeCopy() throws IOException {
        delete(copy); // a built copy holds a 300 MB jar
    }

    @Test
    @Order(1)
    void helpPrintsTheGatewaysUsageWithoutBuilding() throws Exception {
        Run r = start(List.of("--help")).finish();
        assertEquals(0, r.exit, r.output);
        assertEquals(GatewayConfig.USAGE, r.stdout, "ops/run --help prints the text the gateway prints");
        assertFalse(Files.exists(copy.resolve("gateway/target")), "nothing was built");
        assertEquals(GatewayConfig.USAGE, start(List.of("--port", "9000", "-h")).finish().stdout);
    }

    @Test
    @Order(2)
    void twoRunsStartedTogetherBuildOnceAndNeitherBreaksTheOther() throws Exception {
        assertFalse(Files.exists(copy.resolve("gateway/target/nectar-gateway.jar")), "a fresh copy has no jar");
        // an unknown option: each run builds (or waits for the build) and then the gateway refuses the option
        Run a = start(List.of("--no-such-option=1"));
        Run b = start(List.of("--no-such-option=1"));
        a.finish();
        b.finish();
        for (Run r : List.of(a, b)) {
            assertEquals(2, r.exit, r.output);
            assertTrue(r.output.contains("unknown option --no-such-option"), r.output);
            assertFalse(r.output.contains("bad class file") || r.output.contains("NoSuchFileException")
                    || r.output.contains("BUILD FAILURE"), r.output);
            assertFalse(r.output.contains("\u001b"), "no terminal colour codes: " + r.output);
        }
        int builds = (a.output.contains("building the gateway") ? 1 : 0) + (b.output.contains("building the gateway") ? 1 : 0);
        assertEquals(1, builds, "one build, the other run waits and finds the jar fresh:\n" + a.output + "\n---\n" + b.output);
        assertTrue(Files.isRegularFile(copy.resolve("gateway/target/nectar-gateway.jar")));
        // the jar is fresh now: a third run does not build
        Run c = start(List.of("--no-such-option=1")).finish();
        assertEquals(2, c.exit, c.output);
        assertFalse(c.output.contains("building"), c.output);
    }

    private static final class Run {
        final Process process;
        final Path out;
        final Path err;
        int exit;
        String stdout;
        String output;

        Run(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        Run finish() throws Exception {
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("ops/run did not finish");
            }
            exit = process.exitValue();
            stdout = Files.readString(out, StandardCharsets.UTF_8);
            output = stdout + Files.readString(err, StandardCharsets.UTF_8);
            return this;
        }
    }

    private static int runs;

    private static Run start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", copy.resolve("ops/run").toString()));
        cmd.addAll(args);
        int n = ++runs;
        Path out = copy.resolve("run-" + n + ".out");
        Path err = copy.resolve("run-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(copy.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        // as from a shell: none of this Maven run's own variables
        env.keySet().removeIf(k -> k.startsWith("MAVEN_") && !k.equals("MAVEN_OPTS") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("NECTAR_DATA_DIR", copy.resolve("data").toString());
        return new Run(pb.start(), out, err);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
