package io.nectar.gateway.console;

import io.nectar.gateway.knowledge.EncoderRouter;
import io.nectar.nlu.exec.EncoderExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sentence vectors for the console's clustering, from the node's own encoders (the language's primary
 * one), computed on the encoder threads, never on an event loop.
 */
public final class Embedder {

    private final EncoderExecutor executor;
    private final EncoderRouter router;

    public Embedder(EncoderExecutor executor, EncoderRouter router) {
        this.executor = executor;
        this.router = router;
    }

    EncoderExecutor executor() {
        return executor;
    }

    EncoderRouter router() {
        return router;
    }

    /** One unit vector per text, in order. */
    public CompletableFuture<List<float[]>> embed(String lang, List<String> texts) {
        String encoder = router.encoderFor(lang);
        List<CompletableFuture<float[]>> all = new ArrayList<>();
        for (String t : texts) {
            all.add(executor.encode(encoder, t));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<float[]> out = new ArrayList<>();
            for (CompletableFuture<float[]> f : all) {
                out.add(unit(f.join()));
            }
            return out;
        });
    }

    static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (n == 0 ? 0 : v[i] / n);
        }
        return out;
    }
}
