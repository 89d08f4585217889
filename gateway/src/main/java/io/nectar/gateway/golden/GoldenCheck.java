package io.nectar.gateway.golden;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compares one reply frame with a step's expectations; pure. */
public final class GoldenCheck {

    /** Expectation keys a script may use. */
    public static final List<String> KEYS = List.of("type", "source", "intent", "ref", "language", "flow", "step",
            "status", "noFlow", "slots", "says", "saysAny", "notSays", "text", "handoff", "entities", "writtenIn",
            "handoffOffered", "suggests", "notSuggests");
    private static final Pattern HAN = Pattern.compile("\\p{IsHan}+");
    /** A Latin word of three letters or more that is not part of an order number, a code or an e-mail address. */
    private static final Pattern LATIN_WORD = Pattern.compile("(?<![A-Za-z0-9@._-])[A-Za-z]{3,}(?![A-Za-z0-9@_-])");

    private GoldenCheck() {
    }

    /** What is wrong with {@code reply}; empty when it meets every expectation. */
    public static List<String> failures(JsonObject expect, JsonObject reply) {
        List<String> out = new ArrayList<>();
        String type = reply.getString("type");
        String wantType = expect.getString("type", "reply");
        if (!wantType.equals(type)) {
            out.add("type: expected " + wantType + ", got " + type + (reply.containsKey("code") ? " (" + reply.getString("code") + ")" : ""));
            return out;
        }
        JsonObject flow = reply.getJsonObject("flow");
        String text = reply.getString("text", "");
        for (String key : expect.fieldNames()) {
            Object want = expect.getValue(key);
            switch (key) {
                case "type" -> { }
                case "source", "intent", "ref", "language" -> same(out, key, want, reply.getValue(key));
                case "text" -> same(out, key, want, text);
                case "flow" -> same(out, key, want, flow == null ? null : flow.getString("id"));
                case "step" -> same(out, key, want, flow == null ? null : flow.getString("step"));
                case "status" -> same(out, key, want, flow == null ? null : flow.getString("status"));
                case "noFlow" -> {
                    if (Boolean.TRUE.equals(want) && flow != null && "active".equals(flow.getString("status"))) {
                        out.add("noFlow: expected no active flow, got " + flow.encode());
                    }
                }
                case "slots" -> {
                    JsonObject slots = flow == null ? new JsonObject() : flow.getJsonObject("slots", new JsonObject());
                    JsonObject w = (JsonObject) want;
                    for (String name : w.fieldNames()) {
                        Object wv = w.getValue(name);
                        Object got = slots.getValue(name);
                        if (wv == null ? got != null : got == null || !String.valueOf(wv).equals(String.valueOf(got))) {
                            out.add("slots." + name + ": expected " + wv + ", got " + got);
                        }
                    }
                }
                case "says" -> {
                    for (Object w : list(want)) {
                        if (!contains(text, String.valueOf(w))) {
                            out.add("says: reply lacks \"" + w + "\"");
                        }
                    }
                }
                case "saysAny" -> {
                    if (list(want).stream().noneMatch(w -> contains(text, String.valueOf(w)))) {
                        out.add("saysAny: reply has none of " + list(want));
                    }
                }
                case "notSays" -> {
                    for (Object w : list(want)) {
                        if (contains(text, String.valueOf(w))) {
                            out.add("notSays: reply has \"" + w + "\"");
                        }
                    }
                }
                case "handoff" -> {
                    JsonObject h = reply.getJsonObject("handoff");
                    if (want instanceof Boolean b) {
                        if (b != (h != null)) {
                            out.add("handoff: expected " + (b ? "a handoff" : "none") + ", got " + (h == null ? "none" : h.encode()));
                        }
                    } else {
                        same(out, "handoff.reason", want, h == null ? null : h.getString("reason"));
                    }
                }
                case "entities" -> {
                    JsonArray got = reply.getJsonArray("entities", new JsonArray());
                    JsonObject w = (JsonObject) want;
                    for (String entityType : w.fieldNames()) {
                        String value = null;
                        for (int i = 0; i < got.size(); i++) {
                            JsonObject e = got.getJsonObject(i);
                            JsonArray flags = e.getJsonArray("flags", new JsonArray());
                            if (entityType.equals(e.getString("type")) && !flags.contains("negated") && !flags.contains("superseded")) {
                                value = e.getString("value");
                            }
                        }
                        same(out, "entities." + entityType, w.getValue(entityType), value);
                    }
                }
                case "handoffOffered" -> same(out, key, want, reply.getBoolean("handoffOffered", false));
                case "suggests", "notSuggests" -> {
                    List<Object> got = reply.getJsonArray("suggestions", new JsonArray()).getList();
                    for (Object w : list(want)) {
                        boolean has = got.stream().anyMatch(g -> String.valueOf(g).equalsIgnoreCase(String.valueOf(w)));
                        if (has != key.equals("suggests")) {
                            out.add(key + ": suggestions " + got + (has ? " have " : " lack ") + "\"" + w + "\"");
                        }
                    }
                }
                case "writtenIn" -> {
                    List<String> foreign = foreignWords(text, String.valueOf(want));
                    if (!foreign.isEmpty()) {
                        out.add("writtenIn: a " + want + " reply has " + foreign);
                    }
                }
                default -> out.add("unknown expectation " + key);
            }
        }
        return out;
    }

    /**
     * Words of {@code text} in another language than {@code lang}: Han characters in a reply that is not
     * Chinese; Latin words of three letters or more in a Chinese one (order numbers such as DX1001,
     * codes such as EX-1001 and e-mail addresses aside).
     */
    static List<String> foreignWords(String text, String lang) {
        Matcher m = ("zh".equals(lang) ? LATIN_WORD : HAN).matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static void same(List<String> out, String key, Object want, Object got) {
        if (want == null ? got != null : got == null || !String.valueOf(want).equals(String.valueOf(got))) {
            out.add(key + ": expected " + want + ", got " + got);
        }
    }

    private static boolean contains(String text, String part) {
        return text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    private static List<Object> list(Object v) {
        if (v instanceof JsonArray a) {
            return a.getList();
        }
        return List.of(v);
    }
}
