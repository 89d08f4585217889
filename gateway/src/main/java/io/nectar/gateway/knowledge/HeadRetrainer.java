package io.nectar.gateway.knowledge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Retrains merchants' intent heads in the background after their knowledge changed, single-flight per
 * merchant: a request while one is waiting joins it (the run reads the store as it is when it starts); a
 * request while one runs queues exactly one more run after it. One {@code knowledge-retrain} thread, so
 * retraining never competes with itself for the encoders; a bounded queue.
 */
final class HeadRetrainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeadRetrainer.class);

    private final Consumer<String> retrain;
    private final ThreadPoolExecutor pool;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private volatile String current;
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** @param retrain trains one merchant's heads from its current store and swaps them in (blocking) */
    HeadRetrainer(Consumer<String> retrain) {
        this.retrain = retrain;
        this.pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096), r -> {
            Thread t = new Thread(r, "knowledge-retrain");
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks for the merchant's heads to be retrained on its current store. Never blocks. */
    void request(String merchant) {
        if (!queued.add(merchant)) {
            return;   // a run that has not started yet will read the newest store
        }
        try {
            pool.execute(() -> {
                current = merchant;
                running.incrementAndGet();
                queued.remove(merchant);
                long t0 = System.nanoTime();
                try {
                    retrain.accept(merchant);
                    completed.increment();
                    log.info("merchant {}: intent heads retrained in {} ms", merchant, (System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException e) {
                    if (pool.isShutdown()) {
                        return;   // the node is stopping
                    }
                    failed.increment();
                    log.warn("merchant {}: retraining the intent heads failed ({}); new entries stay answerable by their "
                            + "prototypes until the next change", merchant, e.toString());
                } finally {
                    current = null;
                    running.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            queued.remove(merchant);
            failed.increment();
            log.warn("merchant {}: retrain queue full; the heads catch up on the next change", merchant);
        }
    }

    /** Whether a retrain of the merchant is waiting or running. */
    boolean busy(String merchant) {
        return queued.contains(merchant) || merchant.equals(current);
    }

    long completed() {
        return completed.sum();
    }

    long failed() {
        return failed.sum();
    }

    int waiting() {
        return pool.getQueue().size() + running.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
