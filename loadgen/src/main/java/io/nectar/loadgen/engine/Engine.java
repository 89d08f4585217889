package io.nectar.loadgen.engine;

import io.nectar.loadgen.dsl.Action;
import io.nectar.loadgen.dsl.Feeder;
import io.nectar.loadgen.dsl.FeederBuilder;
import io.nectar.loadgen.dsl.OpenInjection;
import io.nectar.loadgen.dsl.Population;
import io.nectar.loadgen.dsl.Simulation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.http.WebSocketClientOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs a {@link Simulation} in this process and writes its raw record (see {@link StatsWriter}) to a
 * data directory; reports are built from that afterwards. Threads: Vert.x event loops run the virtual
 * users; one {@code loadgen-injector-N} thread per population starts users on schedule; one
 * {@code loadgen-stats} thread closes an interval every second. {@link #run} blocks the calling thread
 * (never call it on an event loop).
 *
 * <p>A run can be one share of a larger one: with {@code workerCount} &gt; 1 this process starts only the
 * arrivals whose global index ≡ {@code workerIndex} (mod {@code workerCount}), and its share of closed-model
 * users, so several processes together play exactly the schedule one would.
 */
public final class Engine {

    /** Name of the per-process summary file in the data directory. */
    public static final String WORKER_JSON = "worker.json";
    /** How often the closed-model controller tops up users. */
    static final long CLOSED_TICK_NANOS = io.nectar.loadgen.LoadgenDefaults.CLOSED_TICK.toNanos();
    /** How long stopped users get to close their sockets at the end. */
    static final Duration DRAIN = io.nectar.loadgen.LoadgenDefaults.DRAIN;

    /**
     * @param eventLoops       Vert.x event loops for the virtual users
     * @param localAddresses   source addresses to bind, round robin per user (empty: let the kernel pick)
     * @param startEpochMillis when the run starts (wall clock; 0 = now): lets processes start together
     * @param progress         receives each second's progress on the stats thread (may be null)
     * @param transport        the WebSocket client users connect with: {@code vertx} or {@code netty} ({@link UserSocket})
     */
    public record Options(int eventLoops, List<String> localAddresses, int workerIndex, int workerCount, Path dataDir,
                          long startEpochMillis, Consumer<Progress> progress, String transport) {

        public Options(int eventLoops, List<String> localAddresses, int workerIndex, int workerCount, Path dataDir,
                       long startEpochMillis, Consumer<Progress> progress) {
            this(eventLoops, localAddresses, workerIndex, workerCount, dataDir, startEpochMillis, progress, "vertx");
        }

        public Options {
            UserSocket.Transport.parse(transport);
            if (eventLoops < 1) {
                throw new IllegalArgumentException("event loops must be >= 1");
            }
            localAddresses = List.copyOf(localAddresses);
            if (workerCount < 1 || workerIndex < 0 || workerIndex >= workerCount) {
                throw new IllegalArgumentException("worker index must be in 0.." + (workerCount - 1));
            }
            Objects.requireNonNull(dataDir, "dataDir");
        }

        public static Options local(Path dataDir) {
            return new Options(Runtime.getRuntime().availableProcessors(), List.of(), 0, 1, dataDir, 0, null);
        }

        public Options withProgress(Consumer<Progress> p) {
            return new Options(eventLoops, localAddresses, workerIndex, workerCount, dataDir, startEpochMillis, p, transport);
        }

        public Options withStart(long epochMillis) {
            return new Options(eventLoops, localAddresses, workerIndex, workerCount, dataDir, epochMillis, progress, transport);
        }

        public Options withTransport(String t) {
            return new Options(eventLoops, localAddresses, workerIndex, workerCount, dataDir, startEpochMillis, progress, t);
        }
    }

    /** What a finished run leaves: where its record is and its headline totals. */
    public record Outcome(Path dataDir, long startEpochMillis, long endEpochMillis, long requests, long errors,
                          long peakConnections, boolean interrupted) {
    }

    private Engine() {
    }

    /** Runs the simulation to its end, starting as soon as it is set up (or at the options' start time); blocks. */
    public static Outcome run(Simulation simulation, Options options) throws InterruptedException {
        Prepared p = prepare(simulation, options);
        return p.start(options.startEpochMillis() > 0 ? options.startEpochMillis() : System.currentTimeMillis() + io.nectar.loadgen.LoadgenDefaults.START_DELAY.toMillis());
    }

    /**
     * Sets a run up without starting it: feeders read, Vert.x and its event loops started, clients made.
     * Then {@link Prepared#start} plays the schedule from a given wall-clock time (so several processes
     * can start together, and set-up time is never counted as latency).
     */
    public static Prepared prepare(Simulation simulation, Options options) throws InterruptedException {
        Run run = new Run(simulation, options);
        run.setUp();
        return new Prepared(run);
    }

    /** A set-up run, ready to start once. */
    public static final class Prepared {
        private final Run run;
        private boolean started;

        private Prepared(Run run) {
            this.run = run;
        }

        /** Starts at {@code epochMillis} (wall clock; a past time starts at once) and blocks until the end. */
        public synchronized Outcome start(long epochMillis) throws InterruptedException {
            if (started) {
                throw new IllegalStateException("a run starts once");
            }
            started = true;
            return run.execute(epochMillis);
        }

        /** Releases a run that will not start. */
        public void close() {
            run.vertx.close();
        }
    }

    private static final class Run implements RunContext {
        final Simulation sim;
        final Options options;
        final Stats stats = new Stats();
        final Map<FeederBuilder, Feeder> feeders = new IdentityHashMap<>();
        final List<Target> targets;
        final List<WebSocketClient> clients = new ArrayList<>();
        final List<Context> contexts = new CopyOnWriteArrayList<>();
        final Set<VirtualUser> live = ConcurrentHashMap.newKeySet();
        final Map<Population, AtomicInteger> livePerPopulation = new IdentityHashMap<>();
        final Recorder generatorLag = new Recorder(1, Stats.HIGHEST_MICROS, Stats.DIGITS);
        final Histogram generatorLagTotal = new Histogram(Stats.HIGHEST_MICROS, Stats.DIGITS);
        final AtomicLong closedIds = new AtomicLong();
        final AtomicInteger roundRobin = new AtomicInteger();
        final AtomicInteger clientRoundRobin = new AtomicInteger();
        final UserSocket.Transport transport;
        /** Channels of the netty transport, of the kind Vert.x's event loops run (epoll or NIO). */
        io.netty.channel.ChannelFactory<? extends io.netty.channel.Channel> channels;
        /** Source ports of the netty transport's bound connections. */
        final SourcePorts sourcePorts = new SourcePorts();
        volatile boolean stopping;
        volatile boolean interrupted;
        Vertx vertx;
        long startNanos;
        long startEpochMillis;

        Run(Simulation sim, Options options) {
            this.sim = sim;
            this.options = options;
            this.transport = UserSocket.Transport.parse(options.transport());
            this.targets = RunContext.parse(sim.targets());
            for (Population p : sim.populations()) {
                livePerPopulation.put(p, new AtomicInteger());
                collectFeeders(p.scenario().actions());
            }
        }

        private void collectFeeders(List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof Action.Feed f) {
                    feeders.computeIfAbsent(f.feeder(), FeederBuilder::build);
                } else if (a instanceof Action.Loop l) {
                    collectFeeders(l.body());
                } else if (a instanceof Action.Group g) {
                    collectFeeders(g.body());
                }
            }
        }

        void setUp() throws InterruptedException {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops())
                    .setBlockedThreadCheckInterval(5).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
            try {
                deployContexts();
            } catch (RuntimeException | InterruptedException e) {
                vertx.close();
                throw e;
            }
            List<String> locals = options.localAddresses().isEmpty() ? java.util.Collections.singletonList(null) : options.localAddresses();
            for (String local : locals) {
                WebSocketClientOptions o = new WebSocketClientOptions()
                        .setMaxConnections(1_000_000)
                        .setTcpNoDelay(true)
                        .setMaxFrameSize(1 << 20)
                        .setMaxMessageSize(1 << 20);
                if (local != null) {
                    o.setLocalAddress(local);
                }
                clients.add(vertx.createWebSocketClient(o));
            }
            channels = ((VertxInternal) vertx).transport().channelFactory(false);
            if (transport == UserSocket.Transport.NETTY && targets.stream().anyMatch(Target::ssl)) {
                vertx.close();
                throw new IllegalArgumentException("--transport netty speaks ws:// only; a target is wss://");
            }
            ClientWarmUp.run(vertx);
        }

        Outcome execute(long startAt) throws InterruptedException {
            Thread hook = new Thread(() -> {
                interrupted = true;
                stopping = true;
            }, "loadgen-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            StatsWriter writer = null;
            try {
                writer = new StatsWriter(stats, options.dataDir(), options.progress());
                long nowMs = System.currentTimeMillis();
                startEpochMillis = startAt;
                startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startEpochMillis - nowMs);

                StatsWriter w = writer;
                Thread ticker = new Thread(() -> tickLoop(w), "loadgen-stats");
                ticker.setDaemon(true);
                ticker.start();

                List<Thread> injectors = new ArrayList<>();
                for (int i = 0; i < sim.populations().size(); i++) {
                    Population p = sim.populations().get(i);
                    int index = i;
                    Thread t = new Thread(() -> inject(p, index), "loadgen-injector-" + i);
                    t.setDaemon(true);
                    injectors.add(t);
                    t.start();
                }
                long deadline = sim.maxDuration() == null ? Long.MAX_VALUE : startNanos + sim.maxDuration().toNanos();
                // wait for the schedule to play out and every user to finish (or the deadline)
                while (!stopping && System.nanoTime() < deadline) {
                    boolean injecting = injectors.stream().anyMatch(Thread::isAlive);
                    if (!injecting && live.isEmpty()) {
                        break;
                    }
                    Thread.sleep(20);
                }
                stopping = true;
                for (Thread t : injectors) {
                    t.join(TimeUnit.SECONDS.toMillis(5));
                }
                stopAll(DRAIN);
                ticker.interrupt();
                ticker.join(5000);
                long endNanos = System.nanoTime();
                writer.tick((endNanos - startNanos) / 1e9);
                generatorLagTotal.add(generatorLag.getIntervalHistogram());
                WorkerSummary.write(options, stats, generatorLagTotal, startEpochMillis, endNanos - startNanos, interrupted);
                return new Outcome(options.dataDir(), startEpochMillis,
                        startEpochMillis + TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos),
                        totalRequests(), stats.errorTotals().values().stream().mapToLong(Long::longValue).sum(),
                        stats.peakConnections(), interrupted);
            } finally {
                if (writer != null) {
                    try {
                        writer.close();
                    } catch (IOException ignored) {
                        // the data already written stays
                    }
                }
                vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook already ran
                }
            }
        }

        private void deployContexts() throws InterruptedException {
            try {
                vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        contexts.add(context);
                        return Future.succeededFuture();
                    }
                }, new DeploymentOptions().setInstances(options.eventLoops())).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("cannot start the event loops", e);
            }
        }

        private void tickLoop(StatsWriter writer) {
            long k = 1;
            while (true) {
                long due = startNanos + k * 1_000_000_000L;
                if (!sleepUntil(due, true)) {
                    return;
                }
                writer.tick(k);
                k++;
            }
        }

        /** Parks until {@code due}; false if interrupted (or, with {@code interruptible}, on interrupt). */
        private boolean sleepUntil(long due, boolean interruptible) {
            while (true) {
                long d = due - System.nanoTime();
                if (d <= 0) {
                    return true;
                }
                LockSupport.parkNanos(d);
                if (interruptible && Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
        }

        private void inject(Population p, int populationIndex) {
            try {
                if (p.isClosed()) {
                    injectClosed(p, populationIndex);
                } else {
                    injectOpen(p, populationIndex);
                }
            } catch (StopInjection stop) {
                // the run is ending
            }
        }

        private static final class StopInjection extends RuntimeException {
            StopInjection() {
                super(null, null, false, false);
            }
        }

        private void injectOpen(Population p, int populationIndex) {
            SplittableRandom random = new SplittableRandom(sim.seed() + populationIndex);
            long[] stepStart = {startNanos};
            long[] global = {0};
            long idBase = (long) populationIndex << 40;
            for (OpenInjection step : p.open()) {
                long base = stepStart[0];
                step.arrivals(random, offset -> {
                    long index = global[0]++;
                    if (index % options.workerCount() != options.workerIndex()) {
                        return;
                    }
                    long due = base + offset;
                    sleepUntil(due, false);
                    if (stopping) {
                        throw new StopInjection();
                    }
                    startUser(p, idBase + index, due);
                });
                stepStart[0] += step.duration().toNanos();
            }
            sleepUntil(stepStart[0], false);
        }

        private void injectClosed(Population p, int populationIndex) {
            long end = startNanos + p.injectionDuration().toNanos();
            AtomicInteger liveHere = livePerPopulation.get(p);
            long idBase = ((long) populationIndex << 40) + (1L << 39);
            sleepUntil(startNanos, false);
            while (!stopping) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                int target = share(p.closedTargetAt(now - startNanos));
                for (int need = target - liveHere.get(); need > 0 && !stopping; need--) {
                    long local = closedIds.getAndIncrement();
                    startUser(p, idBase + local * options.workerCount() + options.workerIndex(), now);
                }
                sleepUntil(Math.min(end, now + CLOSED_TICK_NANOS), false);
            }
            stopPopulation(p);
        }

        /** This process's share of {@code total} users. */
        int share(int total) {
            int n = options.workerCount(), i = options.workerIndex();
            return total / n + (i < total % n ? 1 : 0);
        }

        private void startUser(Population p, long id, long intendedNanos) {
            Context ctx = contexts.get(Math.floorMod(roundRobin.getAndIncrement(), contexts.size()));
            VirtualUser u = new VirtualUser(this, p, id, ctx);
            live.add(u);
            livePerPopulation.get(p).incrementAndGet();
            stats.usersLive.incrementAndGet();
            stats.usersStarted.increment();
            ctx.runOnContext(v -> {
                generatorLag.recordValue(Stats.micros(Math.max(0, System.nanoTime() - intendedNanos)));
                u.start(intendedNanos);
            });
        }

        @Override
        public void userFinished(VirtualUser u) {
            if (live.remove(u)) {
                livePerPopulation.get(u.population()).decrementAndGet();
                stats.usersLive.decrementAndGet();
                stats.usersFinished.increment();
            }
        }

        private void stopPopulation(Population p) {
            for (VirtualUser u : live) {
                if (u.population() == p) {
                    u.context().runOnContext(v -> u.stop());
                }
            }
        }

        private void stopAll(Duration drain) throws InterruptedException {
            for (VirtualUser u : live) {
                u.context().runOnContext(v -> u.stop());
            }
            long deadline = System.nanoTime() + drain.toNanos();
            while ((!live.isEmpty() || stats.activeConnections() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        private long totalRequests() {
            return stats.metrics().values().stream().filter(m -> m.kind == Stats.Kind.REQUEST)
                    .mapToLong(m -> m.ok.sum() + m.ko.sum()).sum();
        }

        // ---- RunContext ----

        @Override
        public Vertx vertx() {
            return vertx;
        }

        @Override
        public Stats stats() {
            return stats;
        }

        @Override
        public long seed() {
            return sim.seed();
        }

        @Override
        public Feeder feeder(FeederBuilder builder) {
            return feeders.get(builder);
        }

        @Override
        public Target target(long userId) {
            return targets.get((int) Math.floorMod(userId, (long) targets.size()));
        }

        @Override
        public UserSocket newSocket(Context context) {
            int next = Math.floorMod(clientRoundRobin.getAndIncrement(), clients.size());
            if (transport == UserSocket.Transport.NETTY) {
                List<String> locals = options.localAddresses();
                return new NettyUserSocket((ContextInternal) context, channels,
                        locals.isEmpty() ? null : locals.get(Math.floorMod(next, locals.size())), sourcePorts);
            }
            return new VertxUserSocket(clients.get(next).webSocket());
        }
    }
}
