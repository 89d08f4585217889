package io.nectar.loadgen.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A text with {@code #{name}} placeholders filled from a virtual user's attributes (its feeder record,
 * {@code userId}, {@code conversationId}, ...), Gatling's expression language reduced to what chat
 * scenarios need. Parsed once; immutable and thread-safe.
 */
public final class Template {

    private final String source;
    private final List<String> literals = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private Template(String source) {
        this.source = source;
        int pos = 0;
        while (true) {
            int open = source.indexOf("#{", pos);
            if (open < 0) {
                literals.add(source.substring(pos));
                break;
            }
            int close = source.indexOf('}', open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed #{ in template: " + source);
            }
            String name = source.substring(open + 2, close).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty #{} in template: " + source);
            }
            literals.add(source.substring(pos, open));
            names.add(name);
            pos = close + 1;
        }
    }

    public static Template of(String source) {
        return new Template(Objects.requireNonNull(source, "template"));
    }

    /** The attribute names this template reads. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** Fills the placeholders; a missing attribute is an error (a scenario bug, not a server error). */
    public String render(Map<String, ?> attributes) {
        if (names.isEmpty()) {
            return source;
        }
        StringBuilder sb = new StringBuilder(source.length() + 32);
        for (int i = 0; i < names.size(); i++) {
            sb.append(literals.get(i));
            Object v = attributes.get(names.get(i));
            if (v == null) {
                throw new IllegalStateException("no attribute '" + names.get(i) + "' for template " + source
                        + " (feed a record that has it)");
            }
            sb.append(v);
        }
        return sb.append(literals.get(names.size())).toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
