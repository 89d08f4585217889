package io.nectar.nlu.exec;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nectar.nlu.NluException;
import io.nectar.nlu.TextNormalizer;
import io.nectar.nlu.encoder.SentenceEncoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs sentence encoders on dedicated platform threads, off any event loop, and coalesces concurrent
 * requests into one ONNX batch.
 * <p>
 * Each worker owns one {@link SentenceEncoder.Session} per encoder. A worker takes a request, drains
 * whatever else is already queued (up to {@code maxBatchSize}), and when that shows a burst is under way
 * waits up to {@code maxWaitMicros} for the batch to fill. A lone request is never delayed. A batch runs
 * as ONNX runs of sentences of about the same length (padding costs as much as text). The queue is
 * bounded: when it is full {@link #encode} fails at once with {@link NluException.Code#OVERLOADED}.
 * <p>
 * The bundled encoders are int8 models that quantise each layer's input with one scale for the whole ONNX
 * run, so a sentence's vector depends a little on what it ran beside (dot 0.97–0.99 against running alone).
 * A shopper's question accepts that for throughput; a build must not: {@link #encodeAllBlocking} cuts its
 * texts into runs fixed by the texts alone (sorted by length, {@link #BUILD_RUN} at most) and never lets
 * another request join one, so the same store gives the same vectors, head and answers on every start
 * (docs/decisions.md 122).
 * <p>
 * Shoppers ask the same few questions thousands of times, so results are cached by encoder and
 * normalised text (bounded, least-recently-used); concurrent requests for the same text share one run.
 * Returned vectors are shared: callers must not modify them. {@link #encode} may be called from any thread;
 * its future completes on a worker thread (or at once on a cache hit).
 * <p>
 * Workers run at {@link Thread#MIN_PRIORITY}: inference is throughput work, and the threads that share a
 * core with it (a server's event loops) answer in a fraction of a millisecond what takes it tens. The JVM
 * maps priorities to the OS only when asked (on Linux {@code -XX:ThreadPriorityPolicy=1}, and
 * {@code -XX:JavaPriority1_To_OSPriority=19} for the lowest nice; lowering needs no privilege). Then one
 * more worker at normal priority, the {@link Relief} worker, takes a batch whenever the queue's oldest job
 * has waited too long, so that inference past saturation is not starved by the event loops.
 */
public final class EncoderExecutor implements AutoCloseable {

    /**
     * @param workers         inference threads; keep workers × intraOpThreads ≤ cores
     * @param queueCapacity   requests that may wait; beyond this callers get OVERLOADED
     * @param maxBatchSize    most sentences in one ONNX run
     * @param maxWaitMicros   how long a worker waits for a batch to fill once a burst is seen
     * @param cacheSize       distinct texts remembered per executor (0 turns the cache off)
     */
    public record Options(int workers, int queueCapacity, int maxBatchSize, long maxWaitMicros, int cacheSize) {
        public static final Options DEFAULT = new Options(Math.max(1, Runtime.getRuntime().availableProcessors()),
                2048, 32, 2000, 50_000);
        /**
         * Background work beside shoppers (a head retrain, a store check): one worker, no wait, no cache, a
         * deep queue so a store's phrasings wait for room instead of failing.
         */
        public static final Options BACKGROUND = new Options(1, 4096, 16, 0, 0);

        public Options {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1");
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1");
            }
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be >= 1");
            }
            if (maxWaitMicros < 0 || cacheSize < 0) {
                throw new IllegalArgumentException("maxWaitMicros and cacheSize must be >= 0");
            }
        }
    }

    /**
     * Most sentences in one of a build's runs. A constant, not {@link Options#maxBatchSize}: a store's head
     * trained at start-up and retrained in the background (another executor's options) gets the same vectors.
     */
    public static final int BUILD_RUN = 16;

    /** What waits in the queue: one shopper's text, or a build's run that is encoded as it is. */
    private sealed interface Job permits Request, BuildRun {
        void fail(NluException e);

        /** {@link System#nanoTime} when it was queued. */
        long queuedAt();
    }

    private record Request(String encoder, String text, CompletableFuture<float[]> result, long queuedAt) implements Job {
        @Override
        public void fail(NluException e) {
            result.completeExceptionally(e);
        }
    }

    private record BuildRun(String encoder, List<Request> requests, long queuedAt) implements Job {
        @Override
        public void fail(NluException e) {
            requests.forEach(r -> r.fail(e));
        }
    }

    private final Map<String, SentenceEncoder> encoders;
    private final Options options;
    private final Relief relief;
    private final BlockingQueue<Job> queue;
    private final AsyncCache<String, float[]> cache;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    private final LongAdder requests = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder encoded = new LongAdder();
    private final LongAdder relieved = new LongAdder();

    public EncoderExecutor(List<SentenceEncoder> encoders, Options options) {
        this(encoders, options, Relief.DEFAULT);
    }

    /**
     * @param relief whether a worker at normal priority takes batches whose oldest job waited too long for
     *               the low-priority ones (see {@link Relief})
     */
    public EncoderExecutor(List<SentenceEncoder> encoders, Options options, Relief relief) {
        if (encoders.isEmpty()) {
            throw new IllegalArgumentException("at least one encoder is required");
        }
        this.encoders = new LinkedHashMap<>();
        for (SentenceEncoder e : encoders) {
            this.encoders.put(e.name(), e);
        }
        this.options = options;
        this.relief = relief;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.cache = options.cacheSize() > 0 ? Caffeine.newBuilder().maximumSize(options.cacheSize())
                .executor(Runnable::run).buildAsync() : null;
        for (int i = 0; i < options.workers(); i++) {
            start("nlu-encoder-" + i, Thread.MIN_PRIORITY, false); // throughput work: see the class comment
        }
        if (relief.on()) {
            start("nlu-encoder-relief", Thread.NORM_PRIORITY, true);
        }
    }

    private void start(String name, int priority, boolean relieving) {
        Thread t = new Thread(() -> workLoop(relieving), name);
        t.setDaemon(true);
        t.setPriority(priority);
        threads.add(t);
        t.start();
    }

    /**
     * A new executor over the same encoders with other options, for work that must never queue in front of
     * this one's requests (they then share only the cores). It has no relief worker: its work (a retrain, a
     * store check) can wait for a quiet core, and must not take one from shoppers by waiting long enough.
     * Closing it leaves the encoders open.
     */
    public EncoderExecutor sibling(Options options) {
        return new EncoderExecutor(List.copyOf(encoders.values()), options, Relief.OFF);
    }

    /** Names of the encoders this executor runs. */
    public List<String> encoderNames() {
        return List.copyOf(encoders.keySet());
    }

    public SentenceEncoder encoder(String name) {
        return encoders.get(name);
    }

    /**
     * Encodes one text with the named encoder. Never blocks: the future fails with
     * {@link NluException.Code#OVERLOADED} at once when the queue is full.
     */
    public CompletableFuture<float[]> encode(String encoder, String text) {
        if (closed) {
            return CompletableFuture.failedFuture(new NluException(NluException.Code.CLOSED, "encoder executor is closed"));
        }
        if (!encoders.containsKey(encoder)) {
            return CompletableFuture.failedFuture(new NluException(NluException.Code.BAD_REQUEST, "no encoder named " + encoder));
        }
        requests.increment();
        String normalized = TextNormalizer.normalize(text);
        try {
            // a refusal is thrown, not returned as a failed future: the cache then keeps no entry and logs nothing
            // (it logs a stack trace for every failed future, and a saturated node refuses thousands a second)
            return cache == null ? enqueue(encoder, normalized)
                    : cache.get(encoder + '\u0000' + normalized, (key, ignored) -> enqueue(encoder, normalized));
        } catch (NluException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    /**
     * Encodes many texts (an index build, a head's training phrasings) with the named encoder. The runs are
     * fixed by the texts alone ({@link #buildRuns}) and no other request joins them, so the vectors are the
     * same on every call (see the class comment). The runs go through the same bounded queue, so a large
     * build waits for space instead of failing. Blocking: call it from a start-up or worker thread, never
     * from an event loop.
     */
    public List<float[]> encodeAllBlocking(String encoder, List<String> texts) {
        if (!encoders.containsKey(encoder)) {
            throw new NluException(NluException.Code.BAD_REQUEST, "no encoder named " + encoder);
        }
        List<Request> requests = new ArrayList<>(texts.size());
        for (String text : texts) {
            requests.add(new Request(encoder, TextNormalizer.normalize(text), new CompletableFuture<>(), 0));
        }
        for (List<Request> run : buildRuns(requests)) {
            try {
                queue.put(new BuildRun(encoder, run, System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NluException(NluException.Code.CLOSED, "interrupted");
            }
        }
        if (closed) {
            // closed while queueing: runs put after close() drained the queue would wait for ever
            drainQueue();
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (Request r : requests) {
            out.add(r.result().join());
        }
        return out;
    }

    /**
     * A build's texts cut into runs: sorted by length (then text, so equal lengths fall the same way every
     * time), a new run where a text is much longer than its run's first (padding costs as much as text) or
     * the run has {@link #BUILD_RUN} texts.
     */
    static List<List<Request>> buildRuns(List<Request> requests) {
        List<Request> sorted = new ArrayList<>(requests);
        sorted.sort(Comparator.comparingInt((Request r) -> r.text().length()).thenComparing(Request::text));
        List<List<Request>> runs = new ArrayList<>();
        int from = 0;
        while (from < sorted.size()) {
            int to = Math.min(sorted.size(), from + BUILD_RUN);
            int end = from + 1;
            while (end < to && similarLength(sorted.get(from), sorted.get(end))) {
                end++;
            }
            runs.add(sorted.subList(from, end));
            from = end;
        }
        return runs;
    }

    /** Whether {@code next} may share an ONNX run with {@code first}, the run's shortest. */
    private static boolean similarLength(Request first, Request next) {
        return next.text().length() <= first.text().length() * 5 / 4 + 4;
    }

    /** Queues one text; throws {@link NluException.Code#OVERLOADED} at once when the queue is full. */
    private CompletableFuture<float[]> enqueue(String encoder, String normalized) {
        CompletableFuture<float[]> f = new CompletableFuture<>();
        if (!queue.offer(new Request(encoder, normalized, f, System.nanoTime()))) {
            rejected.increment();
            throw new NluException(NluException.Code.OVERLOADED, "inference queue full (" + options.queueCapacity() + " waiting)");
        }
        return f;
    }

    /**
     * A worker's loop. A relieving worker (normal priority) takes a batch only when the queue's oldest job
     * has waited {@link Relief#afterNanos()}, and then exactly as the others do.
     */
    private void workLoop(boolean relieving) {
        Map<String, SentenceEncoder.Session> sessions = new HashMap<>();
        try {
            for (SentenceEncoder e : encoders.values()) {
                sessions.put(e.name(), e.newSession());
            }
            List<Job> taken = new ArrayList<>(options.maxBatchSize());
            List<Request> batch = new ArrayList<>(options.maxBatchSize());
            List<BuildRun> builds = new ArrayList<>();
            while (!closed) {
                Job first = relieving ? overdue() : queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                if (first instanceof Request) {
                    queue.drainTo(taken, options.maxBatchSize() - 1);
                    if (taken.size() > 1 && taken.size() < options.maxBatchSize() && options.maxWaitMicros() > 0) {
                        long deadline = System.nanoTime() + options.maxWaitMicros() * 1000;
                        while (taken.size() < options.maxBatchSize()) {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) {
                                break;
                            }
                            Job more = queue.poll(left, TimeUnit.NANOSECONDS);
                            if (more == null) {
                                break;
                            }
                            taken.add(more);
                            queue.drainTo(taken, options.maxBatchSize() - taken.size());
                        }
                    }
                }
                for (Job j : taken) {
                    if (j instanceof Request r) {
                        batch.add(r);
                    } else {
                        builds.add((BuildRun) j);
                    }
                }
                if (!batch.isEmpty()) {
                    run(sessions, batch);
                }
                for (BuildRun b : builds) {
                    runChunk(sessions.get(b.encoder()), b.requests());
                }
                taken.clear();
                batch.clear();
                builds.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sessions.values().forEach(SentenceEncoder.Session::close);
        }
    }

    /** The queue's head once it is overdue (null when it went to another worker first, or on close). */
    private Job overdue() throws InterruptedException {
        if (!relief.awaitOverdue(() -> {
            Job head = queue.peek();
            return head == null ? null : head.queuedAt();
        }, () -> closed)) {
            return null;
        }
        Job j = queue.poll();
        if (j != null) {
            relieved.increment();
        }
        return j;
    }

    private void run(Map<String, SentenceEncoder.Session> sessions, List<Request> batch) {
        Map<String, List<Request>> byEncoder = new LinkedHashMap<>();
        for (Request r : batch) {
            byEncoder.computeIfAbsent(r.encoder(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Request>> group : byEncoder.entrySet()) {
            List<Request> requests = group.getValue();
            if (requests.size() == 1) {
                runChunk(sessions.get(group.getKey()), requests);
                continue;
            }
            // One ONNX run pads every sentence to the longest: sorted by length and cut where a sentence is
            // much longer than the chunk's first, a burst of mixed questions runs with little padding
            // (bge-small-zh, 2 cores, atec questions: batches of 32 as they came 902 sentences/s, of similar
            // length 1,741/s, one at a time 1,033/s; docs/decisions.md 41).
            requests.sort(Comparator.comparingInt(r -> r.text().length()));
            int from = 0;
            while (from < requests.size()) {
                int limit = requests.get(from).text().length() * 5 / 4 + 4;
                int to = from + 1;
                while (to < requests.size() && requests.get(to).text().length() <= limit) {
                    to++;
                }
                runChunk(sessions.get(group.getKey()), requests.subList(from, to));
                from = to;
            }
        }
    }

    private void runChunk(SentenceEncoder.Session session, List<Request> requests) {
        List<String> texts = new ArrayList<>(requests.size());
        for (Request r : requests) {
            texts.add(r.text());
        }
        try {
            float[][] vectors = session.encode(texts);
            batches.increment();
            encoded.add(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                requests.get(i).result().complete(vectors[i]);
            }
        } catch (RuntimeException e) {
            NluException failure = e instanceof NluException n ? n
                    : new NluException(NluException.Code.MODEL, "encoder failed: " + e.getMessage(), e);
            for (Request r : requests) {
                r.result().completeExceptionally(failure);
            }
        }
    }

    /** Jobs waiting for a worker right now: shoppers' texts, and builds' runs counted once each. */
    public int queueDepth() {
        return queue.size();
    }

    public int queueCapacity() {
        return options.queueCapacity();
    }

    /**
     * Counters since start: requests asked, refused as overloaded, ONNX runs, sentences encoded, batches the
     * relief worker took.
     */
    public Stats stats() {
        return new Stats(requests.sum(), rejected.sum(), batches.sum(), encoded.sum(), relieved.sum());
    }

    public record Stats(long requests, long rejected, long batches, long encoded, long relieved) {
        public double meanBatchSize() {
            return batches == 0 ? 0 : (double) encoded / batches;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        drainQueue();
    }

    private void drainQueue() {
        Job j;
        while ((j = queue.poll()) != null) {
            j.fail(new NluException(NluException.Code.CLOSED, "encoder executor is closed"));
        }
    }
}
