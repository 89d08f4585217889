package io.nectar.nlu.intent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nectar.nlu.NluException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One labelled training or test utterance. The intent {@value #OUT_OF_SCOPE} marks an utterance that
 * belongs to no intent (a question the merchant does not answer).
 *
 * @param text   the shopper's words
 * @param intent the intent label (an FAQ id, a flow trigger, or {@value #OUT_OF_SCOPE})
 * @param lang   ISO 639-1 code, or {@code null} when not given
 */
public record IntentExample(String text, String intent, String lang) {

    public static final String OUT_OF_SCOPE = "oos";

    private static final ObjectMapper JSON = new ObjectMapper();

    public IntentExample {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        if (intent == null || intent.isBlank()) {
            throw new IllegalArgumentException("intent must not be blank");
        }
    }

    public IntentExample(String text, String intent) {
        this(text, intent, null);
    }

    public boolean outOfScope() {
        return OUT_OF_SCOPE.equals(intent);
    }

    /**
     * Reads JSONL, one {@code {"text","intent"}} object a line (optional {@code "lang"}); blank lines are
     * skipped. A malformed line fails with its line number. Blocking file work.
     */
    public static List<IntentExample> readJsonl(Path file) {
        List<IntentExample> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    JsonNode lang = node.get("lang");
                    out.add(new IntentExample(node.path("text").asText(null), node.path("intent").asText(null),
                            lang == null || lang.isNull() ? null : lang.asText()));
                } catch (IOException | IllegalArgumentException e) {
                    throw new NluException(NluException.Code.BAD_REQUEST, file + " line " + n + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new NluException(NluException.Code.BAD_REQUEST, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** SHA-256 over the examples in order (text, intent, lang): identifies the data a model was trained on. */
    public static String hash(List<IntentExample> examples) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (IntentExample e : examples) {
                md.update(e.text().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.intent().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                if (e.lang() != null) {
                    md.update(e.lang().getBytes(StandardCharsets.UTF_8));
                }
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
