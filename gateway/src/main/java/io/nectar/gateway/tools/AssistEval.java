package io.nectar.gateway.tools;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.assist.Assist;
import io.nectar.gateway.assist.Suggestion;
import io.nectar.gateway.dialogue.DialogueState;
import io.nectar.gateway.store.Store;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Scores the assist pane's suggestions (ops/assist-eval): starts a node in-process with the store (the
 * bundled demo store by default), asks the assist engine about each {@code {"text", "expect"}} line of
 * QUESTIONS.jsonl as the first message of a fresh conversation, and counts whether a suggestion whose text
 * (or, for an action, label) contains {@code expect} is first ({@code top1}) or among the first three
 * ({@code top3}). Prints each miss and, last, one JSON line {@code {"count", "top1", "top3"}}.
 * <pre>
 *   AssistEval [--store DIR] [--data-dir DIR] QUESTIONS.jsonl
 * </pre>
 */
public final class AssistEval {

    private AssistEval() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path store = null;
        Path data = null;
        Path questions = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> store = Path.of(args[++i]);
                case "--data-dir" -> data = Path.of(args[++i]);
                default -> questions = Path.of(args[i]);
            }
        }
        if (questions == null) {
            System.err.println("usage: ops/assist-eval [--store DIR] QUESTIONS.jsonl");
            System.exit(2);
        }
        List<JsonObject> items = new ArrayList<>();
        for (String line : Files.readAllLines(questions, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonObject j = new JsonObject(line);
                if (j.getString("text") == null || j.getString("expect") == null) {
                    throw new IllegalArgumentException("each line needs \"text\" and \"expect\": " + line);
                }
                items.add(j);
            }
        }
        GatewayConfig config = GatewayConfig.defaults().withPort(0).withHost("127.0.0.1")
                .withStores(store == null ? List.of() : List.of(store));
        if (data != null) {
            config = config.withDataDir(data);
        }
        Gateway gateway = Gateway.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        int top1 = 0;
        int top3 = 0;
        try {
            gateway.ready().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
            var services = gateway.services();
            String merchant = services.defaultMerchant();
            Store s = services.knowledge().store(merchant);
            int n = 0;
            for (JsonObject q : items) {
                String text = q.getString("text");
                String expect = q.getString("expect");
                String conversation = "assist-eval-" + n;
                Assist a = services.knowledge().understand(merchant, text)
                        .thenCompose(u -> services.workbench().engine().assist(s, conversation, 1, new DialogueState(), u))
                        .get(60, TimeUnit.SECONDS);
                n++;
                int rank = -1;
                List<Suggestion> list = a.suggestions();
                for (int i = 0; i < list.size() && rank < 0; i++) {
                    Suggestion x = list.get(i);
                    String shown = x.text() != null ? x.text() : x.label();
                    if (shown != null && shown.contains(expect)) {
                        rank = i + 1;
                    }
                }
                if (rank == 1) {
                    top1++;
                }
                if (rank >= 1 && rank <= 3) {
                    top3++;
                }
                if (rank != 1) {
                    System.out.println((rank < 0 ? "MISS  " : "TOP" + rank + "  ") + text + "  (expected \"" + expect + "\"; intent "
                            + a.intent() + "; got " + list.stream().map(x -> x.kind() + ":" + x.ref()).toList() + ")");
                }
            }
        } finally {
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        int count = items.size();
        System.out.println(new JsonObject().put("count", count).put("top1", round((double) top1 / Math.max(1, count)))
                .put("top3", round((double) top3 / Math.max(1, count))).encode());
        System.exit(0);
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
