package io.nectar.loadgen.echo;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bare Vert.x WebSocket server that speaks just enough of the chat protocol for loadgen's scenarios:
 * a {@code welcome} on connect, a {@code reply} echoing each {@code message} (with its {@code replyTo}),
 * a {@code pong} for each {@code ping}. No store, no models, no sessions: the ceiling Nectar is measured
 * against for memory per idle connection and round-trip latency. One verticle instance per event loop.
 */
public final class EchoServer {

    public static final String USAGE = """
            Usage: ops/loadgen echo-server [--port N] [--host ADDR] [--event-loops N]
            A bare Vert.x WebSocket server (welcome, reply echo, pong): the ceiling for idle memory and round trips.
              --port N          port to listen on (default 18280; 0 picks one)
              --host ADDR       address to bind (default 127.0.0.1)
              --event-loops N   event loops (default: cores)
            """;

    private final Vertx vertx;
    private final int port;

    private EchoServer(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    /** Starts a server; the future completes once it listens. */
    public static Future<EchoServer> start(String host, int port, int eventLoops) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        AtomicLong conversations = new AtomicLong();
        CopyOnWriteArrayList<HttpServer> servers = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                                        .setAcceptBacklog(65_535)) // as the gateway: the same burst, the same queue
                                .webSocketHandler(ws -> serve(ws, conversations.incrementAndGet()));
                        servers.add(server);
                        return server.listen();
                    }
                }, new DeploymentOptions().setInstances(eventLoops))
                .map(id -> new EchoServer(vertx, servers.get(0).actualPort()))
                .onFailure(t -> vertx.close());
    }

    private static void serve(ServerWebSocket ws, long conversation) {
        ws.textMessageHandler(text -> {
            JsonObject in;
            try {
                in = new JsonObject(text);
            } catch (DecodeException | ClassCastException e) {
                ws.writeTextMessage("{\"type\":\"error\",\"code\":\"bad_json\"}");
                return;
            }
            String type = in.getString("type", "");
            if (type.equals("ping")) {
                ws.writeTextMessage("{\"type\":\"pong\"}");
            } else if (type.equals("message")) {
                ws.writeTextMessage(new JsonObject().put("type", "reply").put("replyTo", in.getValue("id"))
                        .put("text", in.getValue("text")).put("intent", "echo").encode());
            } else {
                ws.writeTextMessage("{\"type\":\"error\",\"code\":\"unknown_type\"}");
            }
        });
        ws.exceptionHandler(t -> { });
        ws.writeTextMessage("{\"type\":\"welcome\",\"conversationId\":\"echo-" + conversation + "\",\"resumed\":false}");
    }

    public int port() {
        return port;
    }

    public Future<Void> stop() {
        return vertx.close();
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 18280;
        int loops = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.print(USAGE);
                return;
            }
            if (i + 1 >= args.length) {
                System.err.println("echo-server: " + a + " needs a value\n" + USAGE);
                System.exit(2);
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> port = Integer.parseInt(v);
                case "--host" -> host = v;
                case "--event-loops" -> loops = Integer.parseInt(v);
                default -> {
                    System.err.println("echo-server: unknown option " + a + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        EchoServer server = start(host, port, loops).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("echo server listening on " + host + ":" + server.port() + " (pid " + ProcessHandle.current().pid() + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "echo-shutdown"));
        Thread.currentThread().join();
    }
}
