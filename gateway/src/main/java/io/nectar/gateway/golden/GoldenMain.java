package io.nectar.gateway.golden;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ops/golden [--store DIR]... [--port N] [--verbose] SCRIPT|DIR...}: starts a gateway with the
 * given stores (the demo store without {@code --store}) on a free port, plays every golden transcript
 * over its WebSocket, prints each step's outcome, and exits 0 when all pass, 1 when any fails, 2 on bad
 * usage or a store that does not load. {@code --connect HOST:PORT} plays against a running gateway instead.
 */
public final class GoldenMain {

    private GoldenMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        List<Path> stores = new ArrayList<>();
        List<Path> scripts = new ArrayList<>();
        int port = 0;
        boolean verbose = false;
        String connect = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--store" -> stores.add(Path.of(value(args, ++i, a)));
                case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                case "--connect" -> connect = value(args, ++i, a);
                case "--verbose", "-v" -> verbose = true;
                case "--help", "-h" -> {
                    out.println("Usage: ops/golden [--store DIR]... [--port N] [--connect HOST:PORT] [--verbose] SCRIPT|DIR...");
                    return 0;
                }
                default -> {
                    if (a.startsWith("--")) {
                        out.println("golden: unknown option " + a);
                        return 2;
                    }
                    scripts.add(Path.of(a));
                }
            }
        }
        if (scripts.isEmpty()) {
            out.println("golden: name at least one script or directory of scripts (try --help)");
            return 2;
        }
        List<GoldenScript> loaded = new ArrayList<>();
        for (Path f : GoldenRunner.files(scripts)) {
            try {
                loaded.add(GoldenRunner.read(f));
            } catch (IllegalArgumentException | java.io.IOException e) {
                out.println("golden: " + e.getMessage());
                return 2;
            }
        }
        Gateway gateway = null;
        Vertx vertx = Vertx.vertx();
        try {
            String host = "localhost";
            int gatewayPort;
            String merchant;
            if (connect != null) {
                int colon = connect.lastIndexOf(':');
                host = connect.substring(0, colon);
                gatewayPort = Integer.parseInt(connect.substring(colon + 1));
                merchant = "demo";
            } else {
                gateway = Gateway.start(GatewayConfig.defaults().withHost("127.0.0.1").withPort(port).withStores(stores))
                        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                try {
                    gateway.ready().toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    out.println("golden: the gateway did not start: " + e.getCause().getMessage());
                    return 2;
                }
                gatewayPort = gateway.port();
                merchant = gateway.services().defaultMerchant();
            }
            GoldenRunner runner = new GoldenRunner(vertx, host, gatewayPort, merchant, 15_000);
            int passedScripts = 0, failedScripts = 0, passedSteps = 0, failedSteps = 0;
            for (GoldenScript s : loaded) {
                GoldenRunner.ScriptResult r = runner.run(s);
                out.println((r.passed() ? "PASS " : "FAIL ") + s.name() + "  [" + s.source() + "]");
                if (r.error() != null) {
                    out.println("     error: " + r.error());
                }
                for (GoldenRunner.StepResult st : r.steps()) {
                    String reply = st.reply() == null ? "(no reply)" : st.reply().getString("text", st.reply().encode());
                    out.println("  " + (st.passed() ? "ok  " : "FAIL") + " " + st.index() + ". " + st.shopper());
                    if (verbose || !st.passed()) {
                        out.println("         bot: " + reply);
                        if (st.reply() != null) {
                            out.println("         source: " + st.reply().getString("source") + ", intent: "
                                    + st.reply().getString("intent") + ", confidence: " + st.reply().getValue("confidence"));
                        }
                        if (st.reply() != null && st.reply().containsKey("flow")) {
                            out.println("         flow: " + st.reply().getJsonObject("flow").encode());
                        }
                    }
                    for (String f : st.failures()) {
                        out.println("         - " + f);
                    }
                    if (st.passed()) {
                        passedSteps++;
                    } else {
                        failedSteps++;
                    }
                }
                if (r.passed()) {
                    passedScripts++;
                } else {
                    failedScripts++;
                }
            }
            out.println("steps: " + passedSteps + " passed, " + failedSteps + " failed");
            out.println("scripts: " + passedScripts + " passed, " + failedScripts + " failed");
            return failedScripts == 0 ? 0 : 1;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (gateway != null) {
                gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
