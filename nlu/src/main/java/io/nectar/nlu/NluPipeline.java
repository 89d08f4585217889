package io.nectar.nlu;

import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentModelRegistry;
import io.nectar.nlu.intent.IntentResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One message in, one {@link Understanding} out: the language's encoders run through the micro-batching
 * {@link EncoderExecutor}, then the intent model of {@code merchant:language} (from the
 * {@link IntentModelRegistry}) runs on a small bounded pool of {@code nlu-intent-*} threads. Nothing here
 * blocks the caller: {@link #understand} returns a future at once, failed with
 * {@link NluException.Code#OVERLOADED} when a queue is full.
 */
public final class NluPipeline implements AutoCloseable {

    /**
     * @param encoders    encoder names per language, the first one's vector being the one the index uses;
     *                    a language with none is classified on lexical features only
     * @param headThreads threads running intent heads
     * @param headQueue   classifications that may wait for a head thread
     */
    public record Config(Map<Language, List<String>> encoders, int headThreads, int headQueue) {
        public Config {
            encoders = Map.copyOf(encoders);
            if (headThreads < 1 || headQueue < 1) {
                throw new IllegalArgumentException("headThreads and headQueue must be >= 1");
            }
        }
    }

    private final EncoderExecutor executor;
    private final IntentModelRegistry registry;
    private final Config config;
    private final ThreadPoolExecutor heads;

    public NluPipeline(EncoderExecutor executor, IntentModelRegistry registry, Config config) {
        this.executor = executor;
        this.registry = registry;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.heads = new ThreadPoolExecutor(config.headThreads(), config.headThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.headQueue()), r -> {
                    Thread t = new Thread(r, "nlu-intent-" + n.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** The registry key of a merchant's model for one language. */
    public static String modelKey(String merchant, Language language) {
        return merchant + ":" + language.code();
    }

    /**
     * Encodes and classifies one message of a merchant in a known language (see {@link LanguageIdentifier}).
     * The future completes on an {@code nlu-intent} thread (or, when encoding failed, where that failure
     * was seen).
     */
    public CompletableFuture<Understanding> understand(String merchant, Language language, String text) {
        List<String> names = config.encoders().getOrDefault(language, List.of());
        List<CompletableFuture<float[]>> parts = new ArrayList<>(names.size());
        for (String name : names) {
            parts.add(executor.encode(name, text));
        }
        String key = modelKey(merchant, language);
        // `out` is completed by the head task itself, so a result always arrives on an nlu-intent thread
        // (a future chained after it could complete on whichever thread attached it)
        CompletableFuture<Understanding> out = new CompletableFuture<>();
        CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).whenComplete((ignored, failure) -> {
            if (failure != null) {
                out.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
                return;
            }
            Map<String, float[]> vectors = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                vectors.put(names.get(i), parts.get(i).join());
            }
            String first = names.isEmpty() ? null : names.get(0);
            try {
                heads.execute(() -> {
                    try {
                        IntentResult intent = registry == null ? null : registry.classify(key, vectors, text);
                        out.complete(new Understanding(language, first, first == null ? null : vectors.get(first),
                                Map.copyOf(vectors), intent));
                    } catch (RuntimeException e) {
                        out.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                out.completeExceptionally(new NluException(NluException.Code.OVERLOADED,
                        "intent queue full (" + config.headQueue() + " waiting)"));
            }
        });
        return out;
    }

    @Override
    public void close() {
        heads.shutdownNow();
    }
}
