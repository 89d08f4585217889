package io.nectar.nlu.exec;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The low-priority pool: its relief thread takes a task only once it has waited too long; a full queue refuses. */
class YieldingExecutorTest {

    /** Thread name and priority of whoever ran a task. */
    private record Ran(String thread, int priority) {
        static Ran here() {
            return new Ran(Thread.currentThread().getName(), Thread.currentThread().getPriority());
        }
    }

    @Test
    void anOverdueTaskIsTakenByTheReliefThreadWhileTheWorkersAreBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (YieldingExecutor pool = new YieldingExecutor("t", 1, 8, Relief.after(50))) {
            CompletableFuture<Ran> busy = CompletableFuture.supplyAsync(() -> {
                await(release);
                return Ran.here();
            }, pool);
            Thread.sleep(100); // the worker has taken the blocking task: the next one waits in the queue
            long t0 = System.nanoTime();
            Ran second = CompletableFuture.supplyAsync(Ran::here, pool).get(10, TimeUnit.SECONDS);
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(new Ran("t-relief", Thread.NORM_PRIORITY), second);
            assertTrue(waitedMs >= 45, "taken after " + waitedMs + " ms: the relief thread takes only overdue tasks");
            assertFalse(busy.isDone());
            assertEquals(1, pool.relieved());
            release.countDown();
            assertEquals(new Ran("t-0", Thread.MIN_PRIORITY), busy.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void withoutReliefAQueuedTaskWaitsForAWorker() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (YieldingExecutor pool = new YieldingExecutor("t", 1, 8, Relief.OFF)) {
            pool.execute(() -> await(release));
            CompletableFuture<Ran> second = CompletableFuture.supplyAsync(Ran::here, pool);
            Thread.sleep(300);
            assertFalse(second.isDone());
            release.countDown();
            assertEquals("t-0", second.get(10, TimeUnit.SECONDS).thread());
            assertEquals(0, pool.relieved());
        }
    }

    @Test
    void aFullQueueRefusesAtOnceAndAClosedPoolRefusesEverything() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        YieldingExecutor pool = new YieldingExecutor("t", 1, 2, Relief.OFF);
        pool.execute(() -> await(release));
        Thread.sleep(100);
        pool.execute(() -> { });
        pool.execute(() -> { });
        assertEquals(2, pool.queueDepth());
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
        release.countDown();
        pool.close();
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    }

    @Test
    void aFailingTaskDoesNotStopItsThread() throws Exception {
        try (YieldingExecutor pool = new YieldingExecutor("t", 1, 8, Relief.OFF)) {
            pool.execute(() -> {
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> { });
                throw new IllegalStateException("boom");
            });
            assertEquals("t-0", CompletableFuture.supplyAsync(Ran::here, pool).get(10, TimeUnit.SECONDS).thread());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
