package io.nectar.gateway.tools;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.cluster.ClusterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code ops/fanout-bench}: how long a merchant's FAQ edit takes to be answered by every node. Starts N
 * gateway nodes in this process on one PostgreSQL, then, round after round, PUTs a new FAQ entry through
 * one node's merchant API and asks its question on every node's WebSocket (each node asked every few
 * milliseconds, all nodes at once) until each answers it; then DELETEs it and asks until none does.
 * Between rounds it waits for every node's intent heads to be retrained, so each round starts quiet.
 * Prints the time from sending the request to each node's first answer (or first non-answer).
 */
public final class FanOutBench {

    /** One thread per node asking, so every node is timed from the same moment. */
    private static final java.util.concurrent.ExecutorService POLLERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fanout-poller");
        t.setDaemon(true);
        return t;
    });

    private FanOutBench() {
    }

    public static void main(String[] args) throws Exception {
        String pg = System.getenv("NECTAR_PG_URL");
        int nodes = 3;
        int rounds = 10;
        String key = "demo-merchant-key-change-me";
        Path data = Path.of("target/fanout-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pg" -> pg = args[++i];
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--key" -> key = args[++i];
                case "--data-dir" -> data = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ops/fanout-bench [--pg URL] [--nodes 3] [--rounds 10] [--key KEY] [--data-dir DIR]");
                    System.exit(2);
                }
            }
        }
        if (pg == null) {
            System.err.println("fanout-bench: give --pg URL (ops/fanout-bench starts a throwaway PostgreSQL when none is given)");
            System.exit(2);
        }
        List<Gateway> gateways = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ClusterConfig cluster = ClusterConfig.embedded().withNodeId("bench-" + i).withShared(ClusterConfig.RedisEndpoints.NONE, pg);
            gateways.add(Gateway.start(GatewayConfig.defaults().withPort(0).withHost("127.0.0.1").withRate(1000, 1000)
                    .withDataDir(data.resolve("node-" + i)).withCluster(cluster)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
        }
        for (Gateway g : gateways) {
            g.ready().toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
        }
        Vertx vertx = Vertx.vertx();
        HttpClient http = vertx.createHttpClient();
        List<Chat> chats = new ArrayList<>();
        for (Gateway g : gateways) {
            chats.add(Chat.open(vertx, g.port()));
        }
        List<Long> added = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        try {
            for (int r = 1; r <= rounds; r++) {
                awaitHeads(gateways);
                String id = "fanout-" + r + "-" + System.currentTimeMillis() % 100_000;
                String question = "Do you stock the zq" + r + " travel kettle?";
                JsonObject body = new JsonObject().put("lang", "en").put("question", question)
                        .put("paraphrases", new JsonArray().add("is the zq" + r + " kettle available")).put("answer", "Yes (" + id + ").");
                Gateway via = gateways.get(r % gateways.size());
                long t0 = System.nanoTime();
                int status = send(http, via.port(), HttpMethod.PUT, "/api/merchant/faq/" + id, key, body);
                if (status != 201) {
                    throw new IllegalStateException("PUT answered " + status);
                }
                long[] a = untilAll(chats, question, reply -> id.equals(reply.getString("ref")), t0);
                awaitHeads(gateways);
                t0 = System.nanoTime();
                status = send(http, gateways.get((r + 1) % gateways.size()).port(), HttpMethod.DELETE, "/api/merchant/faq/" + id, key, null);
                if (status != 200) {
                    throw new IllegalStateException("DELETE answered " + status);
                }
                long[] d = untilAll(chats, question, reply -> !id.equals(reply.getString("ref")), t0);
                Arrays.stream(a).forEach(added::add);
                Arrays.stream(d).forEach(removed::add);
                System.out.printf("round %d: PUT answered after %s ms, DELETE no longer answered after %s ms%n", r,
                        Arrays.toString(a), Arrays.toString(d));
            }
        } finally {
            chats.forEach(Chat::close);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (Gateway g : gateways) {
                g.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
        System.out.println();
        System.out.printf("| nodes | rounds | PUT → answered on every node: p50 / p90 / max | DELETE → no longer answered: p50 / p90 / max |%n");
        System.out.printf("| %d | %d | %s | %s |%n", nodes, rounds, summary(added), summary(removed));
        System.exit(0);
    }

    private static String summary(List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        s.sort(null);
        return String.format("%d / %d / %d ms", pct(s, 0.5), pct(s, 0.9), s.get(s.size() - 1));
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static void awaitHeads(List<Gateway> gateways) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 300_000;
        for (Gateway g : gateways) {
            while (!g.services().knowledge().headsCurrent("demo") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        }
    }

    private static int send(HttpClient http, int port, HttpMethod method, String path, String key, JsonObject body) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
                .putHeader("authorization", "Bearer " + key).putHeader("content-type", "application/json");
        return http.request(o).compose(req -> (body == null ? req.send() : req.send(Buffer.buffer(body.encode())))
                        .compose(resp -> resp.body().map(b -> resp.statusCode())))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Asks on every node at once until {@code done} holds for its reply; the milliseconds from {@code t0}, per node. */
    private static long[] untilAll(List<Chat> chats, String question, java.util.function.Predicate<JsonObject> done, long t0)
            throws Exception {
        List<CompletableFuture<Long>> each = new ArrayList<>();
        for (Chat c : chats) {
            each.add(CompletableFuture.supplyAsync(() -> {
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    JsonObject r = c.ask(question);
                    if (done.test(r)) {
                        return (c.lastReplyNanos - t0) / 1_000_000;
                    }
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                throw new IllegalStateException("no node change within 60 s");
            }, POLLERS));
        }
        long[] out = new long[chats.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = each.get(i).get(90, TimeUnit.SECONDS);
        }
        return out;
    }

    /** One shopper's WebSocket to one node. */
    private static final class Chat {
        /** Held: Vert.x closes a WebSocketClient, and its sockets, once it is garbage-collected. */
        private final io.vertx.core.http.WebSocketClient client;
        private final ClientWebSocket ws;
        private final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
        private int n;
        volatile long lastReplyNanos;

        private Chat(io.vertx.core.http.WebSocketClient client, ClientWebSocket ws) {
            this.client = client;
            this.ws = ws;
        }

        static Chat open(Vertx vertx, int port) throws Exception {
            io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
            ClientWebSocket ws = client.webSocket();
            Chat c = new Chat(client, ws);
            ws.textMessageHandler(t -> {
                JsonObject f = new JsonObject(t);
                if ("reply".equals(f.getString("type")) || "error".equals(f.getString("type"))) {
                    c.lastReplyNanos = System.nanoTime();
                    c.replies.add(f);
                }
            });
            ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/chat?merchant=demo"))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return c;
        }

        JsonObject ask(String text) {
            ws.writeTextMessage(new JsonObject().put("type", "message").put("id", "b" + (++n)).put("text", text).encode());
            try {
                JsonObject r = replies.poll(30, TimeUnit.SECONDS);
                if (r == null) {
                    StringBuilder dump = new StringBuilder();
                    for (java.lang.management.ThreadInfo t : java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                        dump.append(t);
                    }
                    System.err.println(dump);
                    throw new IllegalStateException("no reply within 30 s");
                }
                return r;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        void close() {
            ws.close();
            client.close();
        }
    }
}
