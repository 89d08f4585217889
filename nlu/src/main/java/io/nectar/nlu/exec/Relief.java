package io.nectar.nlu.exec;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * When low-priority work gets a thread of normal priority. Inference and search threads run at
 * {@link Thread#MIN_PRIORITY}, so that a server's event loops get the core whenever they have work
 * (docs/decisions.md 113). Where the OS sees that priority (Linux with {@code -XX:ThreadPriorityPolicy=1}),
 * work served only at the lowest priority starves while the event loops keep the core busy: two gateways on
 * one core lost 11.6% of a saturated burst's questions. So each such queue also has one relief thread at
 * normal priority that takes only overdue work, a job that has waited {@code afterNanos}: below saturation it
 * sleeps, past it inference competes with the event loops as an equal (decision 126).
 *
 * @param on         whether queues get a relief thread
 * @param afterNanos how long a queue's oldest job waits before the relief thread takes it
 */
public record Relief(boolean on, long afterNanos) {

    /** No relief thread: where priorities do not reach the OS, every inference thread is already an equal. */
    public static final Relief OFF = new Relief(false, 0);

    /**
     * This JVM's: on where thread priorities reach the OS, after {@code -Dnectar.reliefAfterMs} (100 ms by
     * default); {@code -Dnectar.relief=on|off} overrides the check.
     */
    public static final Relief DEFAULT = fromJvm();

    public Relief {
        if (on && afterNanos <= 0) {
            throw new IllegalArgumentException("afterNanos must be > 0");
        }
    }

    public static Relief after(long millis) {
        return new Relief(true, TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static Relief fromJvm() {
        String forced = System.getProperty("nectar.relief", "auto").toLowerCase(Locale.ROOT);
        boolean on = switch (forced) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> prioritiesReachOs();
        };
        return on ? after(Long.getLong("nectar.reliefAfterMs", 100)) : OFF;
    }

    /**
     * Whether {@link Thread#setPriority} changes how the OS schedules a thread: on Linux only when the JVM
     * runs with {@code -XX:ThreadPriorityPolicy=1} (priorities are ignored by default there).
     */
    public static boolean prioritiesReachOs() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return "true".equals(vm.getVMOption("UseThreadPriorities").getValue())
                    && "1".equals(vm.getVMOption("ThreadPriorityPolicy").getValue());
        } catch (RuntimeException | LinkageError notHotSpot) {
            return false;
        }
    }

    /**
     * Waits until the job at the head of a queue is overdue. {@code headQueuedAt} gives the head's
     * {@link System#nanoTime} of queueing, or {@code null} when the queue is empty.
     *
     * @return true when the head is overdue, false when {@code stopped} says so first
     */
    boolean awaitOverdue(Supplier<Long> headQueuedAt, BooleanSupplier stopped) throws InterruptedException {
        long poll = Math.max(TimeUnit.MILLISECONDS.toNanos(1), afterNanos / 4);
        while (!stopped.getAsBoolean()) {
            Long at = headQueuedAt.get();
            long now = System.nanoTime();
            if (at != null && now - at >= afterNanos) {
                return true;
            }
            long wait = at == null ? poll : Math.min(poll, afterNanos - (now - at));
            TimeUnit.NANOSECONDS.sleep(Math.max(wait, 100_000));
        }
        return false;
    }
}
