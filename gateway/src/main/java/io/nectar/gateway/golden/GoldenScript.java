package io.nectar.gateway.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A golden transcript: shopper lines and what the bot must do after each (see docs/golden.md).
 *
 * <pre>
 * name: Seed dialogue, exchange for black (zh)
 * merchant: demo                     # optional: the gateway's first store
 * steps:
 *   - shopper: 我的订单DX1001到哪了
 *     expect: {source: flow, flow: exchange-out-of-stock, step: accept, slots: {order: DX1001}, says: [皮鞋缺货]}
 * </pre>
 */
public record GoldenScript(String name, String source, String merchant, List<Step> steps) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One shopper line and the expectations on the reply (an empty object expects only a reply). */
    public record Step(String shopper, JsonObject expect) {
    }

    public GoldenScript {
        steps = List.copyOf(steps);
    }

    /** Reads a script; throws IllegalArgumentException naming the source and step on a malformed one. */
    @SuppressWarnings("unchecked")
    public static GoldenScript read(String source, InputStream in) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage().replace('\n', ' '), e);
        }
        if (root == null || !root.isObject() || !root.path("steps").isArray() || root.path("steps").isEmpty()) {
            throw new IllegalArgumentException(source + ": expected 'steps:' with a list of {shopper, expect}");
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        for (JsonNode s : root.get("steps")) {
            i++;
            JsonNode line = s.path("shopper");
            if (line.isBoolean()) {
                throw new IllegalArgumentException(source + " step " + i + ": YAML reads 'shopper: " + line.asText()
                        + "' as a boolean; quote the text, e.g. shopper: \"no\"");
            }
            if (!(line.isTextual() || line.isNumber()) || line.asText().isBlank()) {
                throw new IllegalArgumentException(source + " step " + i + ": 'shopper' must be the shopper's text");
            }
            JsonNode e = s.path("expect");
            if (!e.isMissingNode() && !e.isObject()) {
                throw new IllegalArgumentException(source + " step " + i + ": 'expect' must be a mapping");
            }
            Map<String, Object> m = e.isObject() ? YAML.convertValue(e, Map.class) : Map.of();
            JsonObject expect = new JsonObject(new java.util.LinkedHashMap<>(m));
            for (String key : expect.fieldNames()) {
                if (!GoldenCheck.KEYS.contains(key)) {
                    throw new IllegalArgumentException(source + " step " + i + ": unknown expectation '" + key
                            + "' (known: " + String.join(", ", GoldenCheck.KEYS) + ")");
                }
            }
            steps.add(new Step(s.get("shopper").asText(), expect));
        }
        return new GoldenScript(root.path("name").asText(source), source,
                root.path("merchant").isTextual() ? root.get("merchant").asText() : null, steps);
    }
}
