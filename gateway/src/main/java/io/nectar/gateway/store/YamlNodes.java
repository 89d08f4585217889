package io.nectar.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading the store's YAML files and the values in them, each mistake reported as a
 * {@link StoreException} that names the file and the entry (and the line and column of a syntax error).
 * Shared by the readers of each kind of file. Pure; any thread.
 */
final class YamlNodes {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private YamlNodes() {
    }

    /** "faq.jsonl line 3, column 113" (the parts known). */
    static String at(String file, int line, int column) {
        return file + (line > 0 ? " line " + line : "") + (line > 0 && column > 0 ? ", column " + column : "");
    }

    /** The parsed file, or {@code null} when the store has no such file. */
    static JsonNode readYaml(StoreReader.Files files, String name) {
        try {
            Optional<InputStream> in = files.open(name);
            if (in.isEmpty()) {
                return null;
            }
            try (InputStream s = in.get()) {
                return YAML.readTree(s);
            }
        } catch (JsonProcessingException e) {
            throw syntax(name, e, "not valid YAML", "check the indentation there, and quote values that hold ': ', '#', "
                    + "or start with '{' or '[' (docs/store-format.md)");
        } catch (IOException e) {
            throw new StoreException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * A syntax error as one line: where (the YAML parser's problem mark, else the JSON parser's location;
     * {@code lineOffset} is added to the line, for one-line documents of a bigger file), what, and the fix.
     */
    static StoreException syntax(String file, JsonProcessingException e, String what, String fix) {
        return syntax(file, e, what, fix, 0);
    }

    static StoreException syntax(String file, JsonProcessingException e, String what, String fix, int lineOffset) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
        String problem = e.getOriginalMessage();
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                line = m.getProblemMark().getLine() + 1;
                column = m.getProblemMark().getColumn() + 1;
                problem = m.getProblem() + (m.getContext() == null ? "" : " (" + m.getContext() + ")");
                break;
            }
        }
        problem = problem == null ? e.getClass().getSimpleName() : problem.replaceAll("\\s+", " ").strip();
        return new StoreException(at(file, line > 0 ? line + lineOffset : 0, column) + ": " + what + ": " + problem
                + ". Fix: " + fix);
    }

    static String template(String text, String where) {
        if (text != null) {
            try {
                Templates.check(text);
            } catch (IllegalArgumentException e) {
                throw new StoreException(where + ": bad template: " + e.getMessage());
            }
        }
        return text;
    }

    static Localized optionalTemplate(JsonNode n, String field, String where) {
        if (!n.has(field) || n.get(field).isNull()) {
            return null;
        }
        Localized l = localized(n.get(field), where + " " + field, null);
        l.texts().forEach((lang, text) -> template(text, where + " " + field + "." + lang));
        return l;
    }

    static Map<String, Object> plainMap(JsonNode n) {
        Map<String, Object> m = YAML.convertValue(n, YAML.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
        return m == null ? Map.of() : m;
    }

    static LocalDate date(JsonNode n, String field, String where) {
        String s = text(n, field, null);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new StoreException(where + ": '" + field + "' must be a date like 2026-11-11, was '" + s + "'");
        }
    }

    static BigDecimal decimal(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(v.asText());
            if (d.signum() < 0) {
                throw new StoreException(where + ": '" + field + "' must not be negative");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new StoreException(where + ": '" + field + "' must be a number, was '" + v.asText() + "'");
        }
    }

    static Localized localized(JsonNode n, String where, String defaultLanguage) {
        if (n.isTextual() && defaultLanguage != null) {
            return Localized.of(defaultLanguage, n.asText());
        }
        if (!n.isObject()) {
            throw new StoreException(where + ": expected texts keyed by language, e.g. {zh: ..., en: ...}");
        }
        Map<String, String> m = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new StoreException(where + "." + e.getKey() + ": expected a text");
            }
            m.put(e.getKey(), e.getValue().asText());
        }
        return new Localized(m);
    }

    static Map<String, List<String>> stringLists(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new StoreException(where + ": expected lists keyed by language, e.g. {zh: [...], en: [...]}");
        }
        Map<String, List<String>> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), stringList(e.getValue(), where + "." + e.getKey())));
        return m;
    }

    static List<String> stringList(JsonNode n, String where) {
        List<String> out = new ArrayList<>();
        if (n.isValueNode() && !n.isNull()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            throw new StoreException(where + ": expected a list of texts");
        }
        for (JsonNode x : n) {
            if (!x.isValueNode() || x.isNull() || x.asText().isBlank()) {
                throw new StoreException(where + ": expected non-empty texts");
            }
            out.add(x.asText().strip());
        }
        return out;
    }

    static String required(JsonNode n, String field, String where) {
        String v = text(n, field, null);
        if (v == null || v.isBlank()) {
            throw new StoreException(where + ": '" + field + "' is required");
        }
        return v;
    }

    static String text(JsonNode n, String field, String def) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? def : v.asText();
    }
}
