package io.nectar.gateway.console;

import io.nectar.gateway.knowledge.StoreDiagnosis;
import io.nectar.gateway.store.Store;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.AnswerCalibration;
import io.nectar.nlu.intent.IntentTrainer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The store check for the console ({@code GET /api/merchant/check}): the same {@link StoreDiagnosis} as
 * {@code ops/store check}, on the merchant's live store. A check trains the store's intent heads on held-out
 * folds, seconds of CPU, so it runs on one thread of its own with a few checks waiting at most (more are
 * refused), encodes on an encoder executor of its own (one worker, no cache: shoppers' questions never queue
 * behind a store's phrasings, as for head retrains), and its report is kept until the merchant's store changes.
 * Concurrent requests for one merchant share one check.
 */
public final class StoreChecks implements AutoCloseable {

    /** Checks that may wait behind the running one, all merchants together. */
    static final int QUEUE = 4;

    /** A kept report and the store it was made of (weakly held: a replaced store is not kept alive for it). */
    private record Done(java.lang.ref.WeakReference<Store> store, JsonObject report) {
    }

    private final Embedder embedder;
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
        Thread t = new Thread(r, "store-check");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY); // training beside shoppers: as the inference threads (decision 113)
        return t;
    }, new ThreadPoolExecutor.AbortPolicy());
    private final Map<String, Done> done = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonObject>> running = new ConcurrentHashMap<>();
    private volatile EncoderExecutor encoders;

    public StoreChecks(Embedder embedder) {
        this.embedder = embedder;
    }

    /**
     * The report of {@code store}: the kept one when the store has not changed since, else a new check.
     * Throws {@link java.util.concurrent.RejectedExecutionException} when {@link #QUEUE} checks already wait.
     */
    CompletableFuture<JsonObject> check(Store store) {
        String merchant = store.merchantId();
        Done d = done.get(merchant);
        if (d != null && d.store().get() == store) {
            return CompletableFuture.completedFuture(d.report());
        }
        CompletableFuture<JsonObject> mine = new CompletableFuture<>();
        CompletableFuture<JsonObject> under = running.putIfAbsent(merchant, mine);
        if (under != null) {
            return under;
        }
        try {
            pool.execute(() -> {
                try {
                    JsonObject report = run(store);
                    done.put(merchant, new Done(new java.lang.ref.WeakReference<>(store), report));
                    running.remove(merchant, mine);
                    mine.complete(report);
                } catch (RuntimeException | Error e) {
                    running.remove(merchant, mine);
                    mine.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running.remove(merchant, mine);
            throw e;
        }
        return mine;
    }

    private JsonObject run(Store store) {
        List<StoreDiagnosis.LanguageReport> reports = StoreDiagnosis.check(store, encoders(), embedder.router(),
                IntentTrainer.Options.DEFAULT.withThreads(1));
        return json(store.merchantId(), reports).put("checkedAt", Instant.now().toString());
    }

    private EncoderExecutor encoders() {
        EncoderExecutor e = encoders;
        if (e == null) {
            synchronized (this) {
                e = encoders;
                if (e == null) {
                    e = embedder.executor().sibling(EncoderExecutor.Options.BACKGROUND);
                    encoders = e;
                }
            }
        }
        return e;
    }

    /** The report as JSON (numbers that do not apply are {@code null}), with the text {@code ops/store check} prints. */
    static JsonObject json(String merchant, List<StoreDiagnosis.LanguageReport> reports) {
        JsonArray languages = new JsonArray();
        for (StoreDiagnosis.LanguageReport r : reports) {
            AnswerCalibration.Result a = r.answer();
            JsonArray confusions = new JsonArray();
            r.confusions().forEach(c -> confusions.add(new JsonObject().put("a", c.a()).put("b", c.b()).put("misread", c.total())
                    .put("examples", new JsonArray(c.examples()))));
            JsonArray thin = new JsonArray();
            r.thin().forEach(t -> thin.add(new JsonObject().put("entry", t.entry()).put("phrasings", t.phrasings())
                    .put("add", StoreDiagnosis.MIN_PHRASINGS - t.phrasings())));
            JsonArray duplicates = new JsonArray();
            r.duplicates().forEach(d -> duplicates.add(new JsonObject().put("a", d.a()).put("b", d.b()).put("cosine", number(d.cosine()))
                    .put("shared", new JsonArray(d.shared()))));
            languages.add(new JsonObject()
                    .put("language", r.lang())
                    .put("entries", r.entries())
                    .put("phrasings", r.phrasings())
                    .put("heldOutRight", number(r.heldOutTop1()))
                    .put("withoutHead", r.headless())
                    .put("answerFloor", number(r.floor()))
                    .put("encoderThreshold", number(r.threshold()))
                    .put("precision", new JsonObject().put("asked", number(a.precision())).put("reachable", a.reachable())
                            .put("answered", number(a.answeredShare())).put("right", number(a.rightShare()))
                            .put("backgroundToFallback", number(a.fallbackShare()))
                            .put("threshold", number(a.threshold()))
                            // how many times the reading's probability "none of these" must reach to veto it (decision 116)
                            .put("outOfScopeVeto", number(a.outOfScopeOdds())))
                    .put("confusions", confusions)
                    .put("thin", thin)
                    .put("duplicates", duplicates));
        }
        return new JsonObject().put("merchant", merchant).put("languages", languages).put("text", StoreDiagnosis.text(reports));
    }

    /** A finite number rounded to three places, or {@code null} (JSON has no NaN). */
    private static Double number(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? null : Math.round(x * 1000) / 1000.0;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        EncoderExecutor e = encoders;
        if (e != null) {
            e.close();
        }
    }
}
