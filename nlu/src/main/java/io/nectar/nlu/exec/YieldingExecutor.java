package io.nectar.nlu.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed pool for throughput work beside a server's event loops (intent heads, index search): its threads
 * run at {@link Thread#MIN_PRIORITY}, and a {@link Relief} thread at normal priority takes any task that has
 * waited too long for them. The queue is bounded: {@link #execute} throws {@link RejectedExecutionException}
 * at once when it is full.
 */
public final class YieldingExecutor implements Executor, AutoCloseable {

    private record Queued(Runnable task, long queuedAt) {
    }

    private final String name;
    private final BlockingQueue<Queued> queue;
    private final Relief relief;
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder relieved = new LongAdder();
    private volatile boolean closed;

    /**
     * @param name     thread names are {@code name-0 …}, and {@code name-relief}
     * @param threads  low-priority threads
     * @param capacity tasks that may wait
     * @param relief   whether and when a normal-priority thread takes overdue tasks
     */
    public YieldingExecutor(String name, int threads, int capacity, Relief relief) {
        if (threads < 1 || capacity < 1) {
            throw new IllegalArgumentException("threads and capacity must be >= 1");
        }
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.relief = relief;
        for (int i = 0; i < threads; i++) {
            start(name + "-" + i, Thread.MIN_PRIORITY, this::workLoop);
        }
        if (relief.on()) {
            start(name + "-relief", Thread.NORM_PRIORITY, this::reliefLoop);
        }
    }

    private void start(String threadName, int priority, Runnable loop) {
        Thread t = new Thread(loop, threadName);
        t.setDaemon(true);
        t.setPriority(priority);
        threads.add(t);
        t.start();
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException(name + " is closed");
        }
        if (!queue.offer(new Queued(task, System.nanoTime()))) {
            throw new RejectedExecutionException(name + " queue full (" + (queue.size() + queue.remainingCapacity()) + " waiting)");
        }
    }

    /** Tasks waiting for a thread right now. */
    public int queueDepth() {
        return queue.size();
    }

    /** Tasks the relief thread ran since start. */
    public long relieved() {
        return relieved.sum();
    }

    private void workLoop() {
        try {
            while (!closed) {
                Queued q = queue.poll(200, TimeUnit.MILLISECONDS);
                if (q != null) {
                    run(q.task());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reliefLoop() {
        try {
            while (relief.awaitOverdue(() -> {
                Queued head = queue.peek();
                return head == null ? null : head.queuedAt();
            }, () -> closed)) {
                Queued q = queue.poll();
                if (q != null) {
                    relieved.increment();
                    run(q.task());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
        }
    }

    /** Stops the threads; tasks still queued are dropped (as {@code shutdownNow} would). */
    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        queue.clear();
    }
}
