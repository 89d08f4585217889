package io.nectar.index;

import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Sentence vectors from the bundled ONNX encoders, cached on disk by content hash for repeated benchmark runs. */
final class Embeddings {

    private Embeddings() {
    }

    /** Encodes with {@code threads} ONNX sessions of one intra-op thread each; returns unit vectors in order. */
    static float[][] encode(EncoderSpec spec, List<String> texts, int threads, Path cacheDir) {
        Path cache = cacheDir == null ? null : cacheDir.resolve(spec.name() + "-" + hash(texts) + ".f32");
        if (cache != null && Files.exists(cache)) {
            try {
                return read(cache, texts.size());
            } catch (IOException e) {
                System.err.println("ignoring unreadable embedding cache " + cache + ": " + e);
            }
        }
        long t0 = System.nanoTime();
        float[][] out = new float[texts.size()][];
        try (SentenceEncoder encoder = SentenceEncoder.load(spec, 1)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                int batch = 32;
                List<Future<?>> fs = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    int worker = w;
                    fs.add(pool.submit(() -> {
                        try (SentenceEncoder.Session s = encoder.newSession()) {
                            for (int from = worker * batch; from < texts.size(); from += threads * batch) {
                                int to = Math.min(texts.size(), from + batch);
                                float[][] v = s.encode(texts.subList(from, to));
                                System.arraycopy(v, 0, out, from, v.length);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } catch (Exception e) {
                throw new IllegalStateException("encoding failed", e);
            } finally {
                pool.shutdownNow();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("encoded %,d sentences with %s in %.1f s (%.0f/s, %d threads)%n", texts.size(), spec.name(), secs,
                texts.size() / secs, threads);
        if (cache != null) {
            try {
                write(cache, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static String hash(List<String> texts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String t : texts) {
                md.update(t.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, float[][] vectors) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(vectors.length);
            out.writeInt(vectors[0].length);
            for (float[] v : vectors) {
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static float[][] read(Path file, int expected) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int n = in.readInt();
            int dim = in.readInt();
            if (n != expected) {
                throw new IOException("cache holds " + n + " vectors, expected " + expected);
            }
            float[][] out = new float[n][dim];
            for (float[] v : out) {
                for (int d = 0; d < dim; d++) {
                    v[d] = in.readFloat();
                }
            }
            return out;
        }
    }
}
