package io.nectar.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.nectar.gateway.store.YamlNodes.localized;
import static io.nectar.gateway.store.YamlNodes.required;
import static io.nectar.gateway.store.YamlNodes.stringList;
import static io.nectar.gateway.store.YamlNodes.stringLists;
import static io.nectar.gateway.store.YamlNodes.text;

/**
 * The store's FAQ: {@code faq.yaml} (entries with questions and answers per language), then
 * {@code faq.jsonl} (one language of one entry a line), which adds languages to the YAML entries or
 * replaces them. Blocking; any thread.
 */
final class FaqReader {

    static final String FAQ = StoreReader.FAQ;
    static final String FAQ_JSONL = StoreReader.FAQ_JSONL;
    private static final String JSONL_EXAMPLE = "{\"id\":\"shipping\",\"lang\":\"en\",\"question\":\"When do you ship?\","
            + "\"answer\":\"Within 48 hours.\"}";

    private FaqReader() {
    }

    /** The FAQ entries by id, or {@code null} when the store has neither file. */
    static Map<String, FaqEntry> read(StoreReader.Files files) {
        JsonNode faqYaml = YamlNodes.readYaml(files, FAQ);
        Map<String, FaqEntry> faqs = new LinkedHashMap<>();
        if (faqYaml != null) {
            if (!faqYaml.isArray()) {
                throw new StoreException(FAQ + ": expected a list of entries (each starting with '- id: ...')");
            }
            int i = 0;
            for (JsonNode n : faqYaml) {
                FaqEntry e = fromYaml(n, FAQ + " entry " + (++i));
                if (faqs.containsKey(e.id())) {
                    throw new StoreException(FAQ + ": duplicate id '" + e.id() + "'. Fix: merge the two entries or rename one");
                }
                faqs.put(e.id(), e);
            }
        }
        boolean jsonl = readJsonl(files, faqs);
        return faqYaml == null && !jsonl ? null : faqs;
    }

    private static FaqEntry fromYaml(JsonNode n, String where) {
        String id = required(n, "id", where);
        where = FAQ + " entry '" + id + "'";
        if (!n.has("questions") || !n.get("questions").isObject()) {
            throw new StoreException(where + ": 'questions' must map languages to lists of questions");
        }
        Map<String, List<String>> questions = stringLists(n.get("questions"), where + " questions");
        if (questions.values().stream().allMatch(List::isEmpty)) {
            throw new StoreException(where + ": needs at least one question");
        }
        if (!n.has("answer")) {
            throw new StoreException(where + ": 'answer' is required");
        }
        Localized answer = localized(n.get("answer"), where + " answer", null);
        List<String> tags = n.has("tags") ? stringList(n.get("tags"), where + " tags") : List.of();
        return new FaqEntry(id, questions, answer, tags);
    }

    /** Adds the lines of faq.jsonl to {@code faqs}; false when the store has no such file. */
    private static boolean readJsonl(StoreReader.Files files, Map<String, FaqEntry> faqs) {
        try {
            Optional<InputStream> in = files.open(FAQ_JSONL);
            if (in.isEmpty()) {
                return false;
            }
            Map<String, Integer> seen = new HashMap<>(); // "id\u0000lang" -> line
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in.get(), StandardCharsets.UTF_8))) {
                String line;
                int lineNo = 0;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String where = FAQ_JSONL + " line " + lineNo;
                    JsonNode n;
                    try {
                        n = YamlNodes.JSON.readTree(line);
                    } catch (JsonProcessingException e) {
                        throw YamlNodes.syntax(FAQ_JSONL, e, "not valid JSON",
                                "each line is one JSON object, e.g. " + JSONL_EXAMPLE, lineNo - 1);
                    }
                    if (!n.isObject()) {
                        throw new StoreException(where + ": expected a JSON object. Fix: write one entry a line, e.g. " + JSONL_EXAMPLE);
                    }
                    String id = required(n, "id", where);
                    String lang = text(n, "lang", null);
                    if (lang == null || lang.isBlank()) {
                        throw new StoreException(where + ": 'lang' is required (the language of this line, e.g. \"lang\":\"en\")");
                    }
                    Integer earlier = seen.putIfAbsent(id + "\u0000" + lang, lineNo);
                    if (earlier != null) {
                        throw new StoreException(where + ": entry '" + id + "' already has its '" + lang + "' question on line "
                                + earlier + ". Fix: put the questions of one language in one line (more go in \"paraphrases\"), "
                                + "or give this line another id");
                    }
                    List<String> questions = new ArrayList<>();
                    questions.add(required(n, "question", where));
                    if (n.has("paraphrases")) {
                        questions.addAll(stringList(n.get("paraphrases"), where + " paraphrases"));
                    }
                    String answer = required(n, "answer", where);
                    FaqEntry e = new FaqEntry(id, Map.of(lang, questions), Localized.of(lang, answer), List.of());
                    faqs.merge(id, e, FaqEntry::merge);
                }
            }
            return true;
        } catch (IOException e) {
            throw new StoreException(FAQ_JSONL + ": cannot read: " + e.getMessage(), e);
        }
    }
}
