package io.nectar.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared public datasets, read in place (never copied into the project), found by
 * {@link io.nectar.nlu.Datasets}.
 */
final class Datasets {

    private static final Pattern FIELD = Pattern.compile("\"(text|text_a|text_b|intent|content)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Datasets() {
    }

    static Path root() {
        return io.nectar.nlu.Datasets.root();
    }

    static Path file(String relative) {
        return io.nectar.nlu.Datasets.file(relative);
    }

    /** A labelled utterance. */
    record Utterance(String text, String intent) {
    }

    static List<Utterance> utterances(String relative) {
        List<Utterance> out = new ArrayList<>();
        for (String line : lines(relative)) {
            String text = null, intent = null;
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                if (m.group(1).equals("text") && text == null) {
                    text = unescape(m.group(2));
                } else if (m.group(1).equals("intent") && intent == null) {
                    intent = unescape(m.group(2));
                }
            }
            if (text != null) {
                out.add(new Utterance(text, intent));
            }
        }
        return out;
    }

    /** Every string value of the given JSON field names in a JSONL file. */
    static List<String> fields(String relative, String... names) {
        List<String> out = new ArrayList<>();
        List<String> wanted = List.of(names);
        for (String line : lines(relative)) {
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                if (wanted.contains(m.group(1))) {
                    out.add(unescape(m.group(2)));
                }
            }
        }
        return out;
    }

    private static List<String> lines(String relative) {
        try {
            return Files.readAllLines(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }
}
