package io.nectar.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node started as {@code ops/run} starts it (GatewayMain in a process of its own) on a broken store:
 * it refuses to start (exit code 1) and says what is wrong in one line naming the file, with no stack trace.
 */
class StoreErrorsEndToEndTest {

    static final String LINE = "{\"id\":\"ship\",\"lang\":\"en\",\"question\":\"When do you ship?\",\"answer\":\"In 2 days.\"}";

    record Outcome(int exit, String output) {
    }

    static Outcome start(Path store, Path tmp) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(),
                "--store", store.toString(), "--port", "0", "--host", "127.0.0.1", "--data-dir", tmp.resolve("data").toString()));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the node did not stop: " + Files.readString(out));
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    static void refusedInOneLine(Outcome o, Path dir, String file, String says) {
        assertEquals(1, o.exit(), o.output());
        List<String> lines = o.output().lines().filter(l -> l.contains(dir.toString())).toList();
        assertEquals(1, lines.size(), "one line names the store: " + o.output());
        String line = lines.get(0);
        assertTrue(line.contains(dir + (file == null ? ":" : File.separator + file)) && line.contains(says) && line.contains("Fix: "),
                line);
        assertFalse(o.output().contains("\tat ") || o.output().contains("Exception"), "no stack trace: " + o.output());
    }

    @Test
    void brokenStoresStopTheNodeWithOneLineEach(@TempDir Path tmp) throws Exception {
        Path badJson = Files.createDirectories(tmp.resolve("bad-json"));
        Files.writeString(badJson.resolve("faq.jsonl"), LINE + "\n" + LINE.replace("ship", "pay") + "\n{\"id\":\"gift\",\"lang\":\"en\",}\n");
        refusedInOneLine(start(badJson, tmp), badJson, "faq.jsonl", "line 3, column");

        Path spaced = Files.createDirectories(tmp.resolve("my shop"));
        Files.writeString(spaced.resolve("faq.jsonl"), LINE + "\n");
        refusedInOneLine(start(spaced, tmp), spaced, null, "'my shop'");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        refusedInOneLine(start(empty, tmp), empty, null, "no faq.yaml or faq.jsonl");

        Path dupes = Files.createDirectories(tmp.resolve("dupes"));
        Files.writeString(dupes.resolve("faq.jsonl"), LINE + "\n" + LINE.replace("In 2", "In 3") + "\n");
        refusedInOneLine(start(dupes, tmp), dupes, "faq.jsonl", "line 2: entry 'ship' already has its 'en' question on line 1");
    }
}
