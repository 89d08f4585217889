package io.nectar.gateway.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end FAQ answer quality over the real WebSocket protocol, on a CLINC150-style labelled file.
 * Two commands (see ops/faq-eval, which runs both around a gateway):
 * <pre>
 *   build-store TRAIN.jsonl DIR [--per-entry 11] [--small-talk false] [--tune FILE [--tune-per-entry 20]]
 *       writes DIR/store.yaml and DIR/faq.jsonl: one FAQ entry per intent, its first training utterance
 *       the question and the next ones its paraphrases (out-of-scope "oos" lines are left out). The store
 *       has its own greeting, thanks, goodbye and "are you a bot" entries, so it turns the built-in small
 *       talk off ({@code smallTalk: false}) unless --small-talk true; with
 *       --tune also FILE: the next 20 training utterances of every intent and all out-of-scope training
 *       utterances, held-out questions for choosing settings without looking at the validation split
 *   ask WS_URL QUESTIONS.jsonl [--concurrency 64] [--misses FILE]
 *       asks every question over WebSocket, each in a conversation of its own, 64 at a time; compares each reply's {@code ref} with the question's intent
 *       (out-of-scope questions should get {@code source: fallback}), prints a report and a final JSON line;
 *       --misses writes every question not answered right as a JSON line (text, intent, source, ref, confidence,
 *       and the "did you mean" suggestions when there were any)
 *   ask-each WS_URL EXPECTED.jsonl
 *       asks each {@code {"text","expect"}} question in a fresh conversation; {@code expect} lists the
 *       acceptable readings separated by {@code |}: an FAQ id, SKU, promotion id or flow id (matched with
 *       the reply's {@code intent} or {@code ref}), or {@code fallback}. Prints one row per question and a
 *       final JSON line
 * </pre>
 * A command-line tool: it blocks its main thread while Vert.x event loops carry the traffic.
 */
public final class FaqEval {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FaqEval() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length < 3) {
            System.err.println("usage: FaqEval build-store TRAIN.jsonl DIR [--per-entry 11] [--small-talk false] [--tune FILE]\n"
                    + "       FaqEval ask WS_URL QUESTIONS.jsonl [--concurrency 64] [--misses FILE]\n"
                    + "       FaqEval ask-each WS_URL EXPECTED.jsonl");
            System.exit(2);
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 3; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        switch (args[0]) {
            case "build-store" -> {
                buildStore(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(opts.getOrDefault("--per-entry", "11")),
                        Boolean.parseBoolean(opts.getOrDefault("--small-talk", "false")), opts.get("--answer-precision"));
                if (opts.containsKey("--tune")) {
                    writeTuning(Path.of(args[1]), Path.of(opts.get("--tune")), Integer.parseInt(opts.getOrDefault("--per-entry", "11")),
                            Integer.parseInt(opts.getOrDefault("--tune-per-entry", "20")));
                }
            }
            case "ask-each" -> System.exit(askEach(URI.create(args[1]), Path.of(args[2])));
            case "ask" -> {
                ObjectNode summary = ask(URI.create(args[1]), Path.of(args[2]),
                        Integer.parseInt(opts.getOrDefault("--concurrency", "64")),
                        opts.containsKey("--misses") ? Path.of(opts.get("--misses")) : null);
                System.exit(summary.get("unanswered").asInt() == 0 && summary.get("errors").asInt() == 0 ? 0 : 1);
            }
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    /** FAQ entry id for an intent name (store ids are kebab-case). */
    static String entryId(String intent) {
        return intent.replace('_', '-');
    }

    record Question(String text, String intent) {
        boolean inScope() {
            return !"oos".equals(intent);
        }
    }

    static List<Question> read(Path file) throws IOException {
        List<Question> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(read(line));
            }
        }
        return out;
    }

    /** One {@code {"text","intent"}} line. */
    static Question read(String line) throws IOException {
        JsonNode n = JSON.readTree(line);
        return new Question(n.get("text").asText(), n.get("intent").asText());
    }

    static void buildStore(Path train, Path dir, int perEntry, boolean smallTalk) throws IOException {
        buildStore(train, dir, perEntry, smallTalk, null);
    }

    /** As above; {@code answerPrecision} (a number, or null for none) goes into store.yaml. */
    static void buildStore(Path train, Path dir, int perEntry, boolean smallTalk, String answerPrecision) throws IOException {
        Map<String, List<String>> byIntent = new LinkedHashMap<>();
        for (Question q : read(train)) {
            if (q.inScope()) {
                byIntent.computeIfAbsent(q.intent(), k -> new ArrayList<>()).add(q.text());
            }
        }
        Files.createDirectories(dir);
        String merchant = dir.getFileName().toString();
        Files.writeString(dir.resolve("store.yaml"), "merchant: " + merchant + "\n"
                + "name: {en: \"CLINC150 FAQ\"}\n"
                + "languages: [en]\n"
                + "fallback: {en: \"Sorry, I can't help with that. Shall I connect you to a human agent?\"}\n"
                // the store's own greeting, thank_you, goodbye and are_you_a_bot entries answer small talk
                + (smallTalk ? "" : "smallTalk: false\n")
                + (answerPrecision == null ? "" : "answerPrecision: " + Double.parseDouble(answerPrecision) + "\n"));
        try (Writer w = Files.newBufferedWriter(dir.resolve("faq.jsonl"), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, List<String>> e : byIntent.entrySet()) {
                List<String> l = e.getValue().subList(0, Math.min(perEntry, e.getValue().size()));
                ObjectNode o = JSON.createObjectNode();
                o.put("id", entryId(e.getKey()));
                o.put("lang", "en");
                o.put("question", l.get(0));
                o.putArray("paraphrases").addAll(l.subList(1, l.size()).stream().map(JSON.getNodeFactory()::textNode).toList());
                o.put("answer", "Answer about " + e.getKey().replace('_', ' ') + ".");
                w.write(JSON.writeValueAsString(o));
                w.write('\n');
            }
        }
        System.out.printf("wrote %d FAQ entries (%d phrasings each at most) to %s%n", byIntent.size(), perEntry, dir);
    }

    record Reply(String source, String ref, double confidence, long micros, List<String> suggestions) {
    }

    static void writeTuning(Path train, Path out, int skip, int perEntry) throws IOException {
        Map<String, List<String>> byIntent = new LinkedHashMap<>();
        List<String> oos = new ArrayList<>();
        for (Question q : read(train)) {
            if (q.inScope()) {
                byIntent.computeIfAbsent(q.intent(), k -> new ArrayList<>()).add(q.text());
            } else {
                oos.add(q.text());
            }
        }
        int n = 0;
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, List<String>> e : byIntent.entrySet()) {
                List<String> l = e.getValue();
                for (String t : l.subList(Math.min(skip, l.size()), Math.min(skip + perEntry, l.size()))) {
                    w.write(JSON.writeValueAsString(JSON.createObjectNode().put("text", t).put("intent", e.getKey())) + "\n");
                    n++;
                }
            }
            for (String t : oos) {
                w.write(JSON.writeValueAsString(JSON.createObjectNode().put("text", t).put("intent", "oos")) + "\n");
            }
        }
        System.out.printf("wrote %d held-out in-scope and %d out-of-scope training utterances to %s%n", n, oos.size(), out);
    }

    /** Asks each question in its own conversation, one at a time, and checks the reading. */
    static int askEach(URI url, Path file) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                items.add(JSON.readTree(line));
            }
        }
        Vertx vertx = Vertx.vertx();
        int right = 0, fallbackExpected = 0, fallbackRight = 0;
        try {
            WebSocketClient client = vertx.createWebSocketClient();
            for (JsonNode item : items) {
                String text = item.get("text").asText();
                List<String> expect = List.of(item.get("expect").asText().split("\\|"));
                java.util.concurrent.CompletableFuture<JsonObject> reply = new java.util.concurrent.CompletableFuture<>();
                ClientWebSocket ws = client.webSocket();
                ws.textMessageHandler(t -> {
                    JsonObject f = new JsonObject(t);
                    if ("welcome".equals(f.getString("type"))) {
                        ws.writeTextMessage(new JsonObject().put("type", "message").put("id", "q").put("text", text).encode());
                    } else if ("q".equals(f.getString("replyTo"))) {
                        reply.complete(f);
                    }
                });
                ws.connect(new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
                        .setURI(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())))
                        .onFailure(reply::completeExceptionally);
                JsonObject r = reply.get(60, TimeUnit.SECONDS);
                ws.close();
                String source = r.getString("source", r.getString("code"));
                java.util.Set<String> got = new java.util.HashSet<>();
                if (r.getString("intent") != null) {
                    got.add(r.getString("intent"));
                }
                if (r.getString("ref") != null) {
                    got.add(r.getString("ref"));
                }
                if ("fallback".equals(source)) {
                    got = java.util.Set.of("fallback");
                }
                boolean ok = expect.stream().anyMatch(got::contains);
                if (expect.contains("fallback")) {
                    fallbackExpected++;
                    fallbackRight += ok ? 1 : 0;
                }
                right += ok ? 1 : 0;
                System.out.printf("%s | %s | %s | %s %s %s %.2f%n", ok ? "ok" : "--", text, String.join("|", expect), source,
                        r.getString("intent"), r.getString("ref", ""), r.getDouble("confidence", 0.0));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.out.printf("right %d of %d (%.1f%%); of them out-of-scope questions answered with the fallback: %d of %d%n",
                right, items.size(), 100.0 * right / items.size(), fallbackRight, fallbackExpected);
        ObjectNode o = JSON.createObjectNode();
        o.put("questions", items.size());
        o.put("right", right);
        o.put("accuracy", round((double) right / items.size()));
        o.put("fallbackExpected", fallbackExpected);
        o.put("fallbackRight", fallbackRight);
        System.out.println(o);
        return 0;
    }

    /**
     * Asks every question in a conversation of its own (one WebSocket each, {@code concurrency} at a time),
     * so that no answer depends on the questions before it: in one long conversation the dialogue's
     * memory (two fallbacks in a row hand off to a human, "this one" refers back) would mix into the score.
     */
    /** Returns the summary printed last (top1, oosFallback, unanswered, errors, ...). */
    static ObjectNode ask(URI url, Path questionsFile, int concurrency, Path misses) throws Exception {
        List<Question> qs = read(questionsFile);
        Map<String, Reply> replies = new ConcurrentHashMap<>();
        Map<String, String> errors = new ConcurrentHashMap<>();
        Vertx vertx = Vertx.vertx();
        CountDownLatch done = new CountDownLatch(qs.size());
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
                .setURI(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        try {
            WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20));
            Runnable[] start = new Runnable[1];
            start[0] = () -> {
                int i = next.getAndIncrement();
                if (i >= qs.size()) {
                    return;
                }
                String id = "q" + i;
                long[] sentAt = new long[1];
                boolean[] finished = new boolean[1];
                ClientWebSocket ws = client.webSocket();
                Runnable finish = () -> {
                    if (!finished[0]) {
                        finished[0] = true;
                        ws.close();
                        done.countDown();
                        start[0].run();
                    }
                };
                ws.textMessageHandler(text -> {
                    JsonObject f = new JsonObject(text);
                    String type = f.getString("type");
                    if ("welcome".equals(type)) {
                        sentAt[0] = System.nanoTime();
                        ws.writeTextMessage(new JsonObject().put("type", "message").put("id", id).put("text", qs.get(i).text()).encode());
                    } else if (id.equals(f.getString("replyTo"))) {
                        long micros = (System.nanoTime() - sentAt[0]) / 1000;
                        if ("reply".equals(type)) {
                            List<String> suggested = new ArrayList<>();
                            f.getJsonArray("suggestions", new io.vertx.core.json.JsonArray()).forEach(x -> suggested.add(String.valueOf(x)));
                            replies.put(id, new Reply(f.getString("source"), f.getString("ref"), f.getDouble("confidence", 0.0), micros,
                                    suggested));
                        } else {
                            errors.put(id, f.getString("code", type));
                        }
                        finish.run();
                    }
                });
                ws.exceptionHandler(t -> {
                    errors.put(id, "connection: " + t.getMessage());
                    finish.run();
                });
                ws.closeHandler(v -> {
                    if (!finished[0]) {
                        errors.putIfAbsent(id, "closed before the reply");
                        finish.run();
                    }
                });
                ws.connect(connect).onFailure(t -> {
                    errors.put(id, "cannot connect: " + t.getMessage());
                    finish.run();
                });
            };
            for (int c = 0; c < concurrency; c++) {
                vertx.runOnContext(v -> start[0].run());
            }
            if (!done.await(30, TimeUnit.MINUTES)) {
                System.err.println("timed out waiting for replies");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (misses != null) {
            writeMisses(qs, replies, misses);
        }
        return report(qs, replies, errors, secs);
    }

    /** Every question not answered right (a wrong answer, an in-scope fallback, no reply), one JSON line each. */
    static void writeMisses(List<Question> qs, Map<String, Reply> replies, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < qs.size(); i++) {
                Question q = qs.get(i);
                Reply r = replies.get("q" + i);
                boolean fallback = r != null && "fallback".equals(r.source());
                boolean ok = r != null && (q.inScope()
                        ? "faq".equals(r.source()) && entryId(q.intent()).equals(r.ref())
                        : fallback);
                if (!ok) {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("text", q.text());
                    o.put("intent", q.intent());
                    o.put("source", r == null ? "none" : r.source());
                    o.put("ref", r == null ? null : r.ref());
                    o.put("confidence", r == null ? 0 : r.confidence());
                    if (r != null && !r.suggestions().isEmpty()) {
                        com.fasterxml.jackson.databind.node.ArrayNode a = o.putArray("suggestions");
                        r.suggestions().forEach(a::add);
                    }
                    w.write(JSON.writeValueAsString(o));
                    w.write('\n');
                }
            }
        }
    }

    static ObjectNode report(List<Question> qs, Map<String, Reply> replies, Map<String, String> errors, double secs) {
        int in = 0, right = 0, wrong = 0, inFallback = 0, inHandoff = 0, oos = 0, oosFallback = 0, oosHandoff = 0, missing = 0;
        long[] lat = new long[replies.size()];
        int li = 0;
        for (int i = 0; i < qs.size(); i++) {
            Question q = qs.get(i);
            Reply r = replies.get("q" + i);
            if (r == null) {
                missing++;
                continue;
            }
            lat[li++] = r.micros();
            boolean fallback = "fallback".equals(r.source());
            // a hand-off to a person ("let me get a colleague") is no answer, right or wrong: the issue's
            // honest alternative to a wrong one. Counted apart, and as an answer in the older precision
            boolean handoff = "handoff".equals(r.source());
            if (q.inScope()) {
                in++;
                if (fallback) {
                    inFallback++;
                } else if (handoff) {
                    inHandoff++;
                } else if ("faq".equals(r.source()) && entryId(q.intent()).equals(r.ref())) {
                    right++;
                } else {
                    wrong++;
                }
            } else {
                oos++;
                if (fallback) {
                    oosFallback++;
                } else if (handoff) {
                    oosHandoff++;
                }
            }
        }
        lat = Arrays.copyOf(lat, li);
        Arrays.sort(lat);
        double top1 = in == 0 ? 0 : (double) right / in;
        double oosRate = oos == 0 ? 0 : (double) oosFallback / oos;
        System.out.printf("questions %d (%d in scope, %d out of scope), %d unanswered, %d errors %s, %.1f s (%.0f/s)%n",
                qs.size(), in, oos, missing, errors.size(), errors.isEmpty() ? "" : new java.util.TreeMap<>(countBy(errors)),
                secs, qs.size() / secs);
        System.out.printf("in scope: right answer %.4f, wrong answer %.4f, fallback %.4f, handed to a person %.4f%n", top1,
                in == 0 ? 0 : (double) wrong / in, in == 0 ? 0 : (double) inFallback / in, in == 0 ? 0 : (double) inHandoff / in);
        System.out.printf("out of scope: fallback %.4f, handed to a person %.4f (wrong answer %.4f)%n", oosRate,
                oos == 0 ? 0 : (double) oosHandoff / oos, oos == 0 ? 0 : (double) (oos - oosFallback - oosHandoff) / oos);
        int given = right + wrong + (oos - oosFallback - oosHandoff);
        double precision = given == 0 ? 1 : (double) right / given;
        int givenOrHandedOff = given + inHandoff + oosHandoff;
        double precisionHandoffsAsAnswers = givenOrHandedOff == 0 ? 1 : (double) right / givenOrHandedOff;
        System.out.printf("precision of the answers given (right / all answers, neither fallback nor hand-off, in and out of scope): "
                + "%.4f (%.4f counting hand-offs as answers)%n", precision, precisionHandoffsAsAnswers);
        System.out.printf("round trip per message (with the concurrency in flight): p50 %.1f ms, p99 %.1f ms%n",
                pct(lat, 50) / 1000, pct(lat, 99) / 1000);
        ObjectNode o = JSON.createObjectNode();
        o.put("questions", qs.size());
        o.put("inScope", in);
        o.put("outOfScope", oos);
        o.put("top1", round(top1));
        o.put("inScopeWrong", round(in == 0 ? 0 : (double) wrong / in));
        o.put("inScopeFallback", round(in == 0 ? 0 : (double) inFallback / in));
        o.put("inScopeHandoff", round(in == 0 ? 0 : (double) inHandoff / in));
        o.put("oosFallback", round(oosRate));
        o.put("oosHandoff", round(oos == 0 ? 0 : (double) oosHandoff / oos));
        o.put("precision", round(precision));
        o.put("precisionHandoffsAsAnswers", round(precisionHandoffsAsAnswers));
        o.put("p50ms", round(pct(lat, 50) / 1000));
        o.put("p99ms", round(pct(lat, 99) / 1000));
        o.put("unanswered", missing);
        o.put("errors", errors.size());
        System.out.println(o);
        return o;
    }

    private static Map<String, Integer> countBy(Map<String, String> errors) {
        Map<String, Integer> out = new LinkedHashMap<>();
        errors.values().forEach(c -> out.merge(c, 1, Integer::sum));
        return out;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
