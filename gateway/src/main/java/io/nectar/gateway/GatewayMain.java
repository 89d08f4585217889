package io.nectar.gateway;

import io.nectar.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Command-line entry point: {@code java -jar nectar-gateway.jar [options]} (see {@code --help}). */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        GatewayConfig config;
        try {
            config = GatewayConfig.fromArgs(args);
        } catch (GatewayConfig.HelpRequested h) {
            System.out.print(GatewayConfig.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("nectar: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(GatewayMain.class);
        CountDownLatch started = new CountDownLatch(1);
        Gateway[] holder = new Gateway[1];
        Gateway.start(config).onComplete(ar -> {
            if (ar.failed()) {
                System.err.println("nectar: cannot start: " + ar.cause().getMessage());
                System.exit(1);
            }
            holder[0] = ar.result();
            started.countDown();
            ar.result().ready().onSuccess(v -> System.out.println("Nectar is ready: open http://localhost:"
                            + ar.result().port() + "/"))
                    .onFailure(t -> {
                        // a store error is one line naming the file, the line and the fix; no stack trace
                        System.err.println(t instanceof StoreException ? "nectar: store error: " + t.getMessage()
                                : "nectar: start-up failed: " + t.getMessage());
                        System.exit(1);
                    });
        });
        started.await();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            try {
                java.time.Duration grace = config.cluster().drainGrace();
                holder[0].drainAndStop(grace).toCompletionStage().toCompletableFuture()
                        .get(grace.toSeconds() + 15, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("shutdown: {}", e.toString());
            }
        }, "nectar-shutdown"));
    }
}
