package io.nectar.loadgen.engine;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Source ports the generator chooses itself, for connections it binds to a source address: one cursor per
 * source address and target, stepping through {@link #LOW}..{@link #HIGH}, below the kernel's ephemeral
 * range, with {@code SO_REUSEADDR} on every socket so that one port serves many targets.
 *
 * <p>Why not let the kernel choose: an unbound {@code connect} takes its port from the ephemeral range
 * (32768–60999 here) and prefers odd ports, so once one target holds about half that range's ports
 * (~14,000 connections) every further connect to it scans all of them first; a {@code bind(address, 0)}
 * scans the bound ports the same way. Both grow with the connections already open, and at 19,000 a
 * target the generator spent most of its CPU in the kernel (BENCHMARKS.md, "ops/idle-scale with
 * loadgen's lean client"; decision 110). A chosen port costs the kernel one lookup of the connection's
 * four-tuple.
 *
 * <p>A port that is taken (a listener on the wildcard address, a connection left from an earlier run)
 * fails its bind or connect; the caller asks for the next one ({@link #taken}).
 */
public final class SourcePorts {

    /** Lowest source port chosen: above most well-known service ports (a port found taken is skipped). */
    public static final int LOW = 10_000;
    /** Highest source port chosen: just below the kernel's usual ephemeral range. */
    public static final int HIGH = 32_767;
    /** How many ports one connect tries before it fails. */
    public static final int ATTEMPTS = 16;

    private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();
    /** Where a new cursor starts, counted from {@link #LOW}; negative for a random place. */
    private final int start;

    public SourcePorts() {
        this(-1);
    }

    /** Every cursor starts at {@code LOW + start} (tests). */
    SourcePorts(int start) {
        this.start = start;
    }

    /** The next port for a connection from {@code address} to {@code target} ({@code host:port}). */
    public InetSocketAddress next(String address, String target) {
        AtomicInteger cursor = cursors.computeIfAbsent(address + '>' + target,
                k -> new AtomicInteger(start >= 0 ? start : ThreadLocalRandom.current().nextInt(HIGH - LOW + 1)));
        return new InetSocketAddress(address, LOW + Math.floorMod(cursor.getAndIncrement(), HIGH - LOW + 1));
    }

    /** Whether a connect failed because its chosen source port was taken, so that another port may succeed. */
    public static boolean taken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Address already in use") || m.contains("Cannot assign requested address"))) {
                return true;
            }
        }
        return false;
    }
}
