package io.nectar.nlu.eval;

import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentExample;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Training-set sentence vectors kept on disk between runs of {@link NluEval} ({@code --vector-cache DIR}, a
 * development aid): one file per encoder and exact list of texts, named by a hash of both, so a changed
 * training set is encoded again.
 */
final class VectorCache {

    private VectorCache() {
    }

    /** The examples' vectors of every named encoder, concatenated in that order; read from or written to {@code cache} when given. */
    static float[][] encodeAll(EncoderExecutor executor, List<String> encNames, List<IntentExample> examples,
                                       Path cache) throws IOException {
        List<String> texts = examples.stream().map(IntentExample::text).toList();
        List<float[][]> parts = new ArrayList<>();
        int dim = 0;
        for (String name : encNames) {
            float[][] v = cache == null ? null : readCache(cache, name, texts);
            if (v == null) {
                v = executor.encodeAllBlocking(name, texts).toArray(new float[0][]);
                if (cache != null) {
                    writeCache(cache, name, texts, v);
                }
            }
            parts.add(v);
            dim += executor.encoder(name).dimension();
        }
        float[][] out = new float[texts.size()][dim];
        for (int i = 0; i < texts.size(); i++) {
            int off = 0;
            for (float[][] p : parts) {
                System.arraycopy(p[i], 0, out[i], off, p[i].length);
                off += p[i].length;
            }
        }
        return out;
    }

    private static Path cacheFile(Path cache, String encoder, List<String> texts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(encoder.getBytes(StandardCharsets.UTF_8));
            for (String t : texts) {
                md.update((byte) 0);
                md.update(t.getBytes(StandardCharsets.UTF_8));
            }
            return cache.resolve(encoder + "-" + HexFormat.of().formatHex(md.digest()).substring(0, 16) + ".vec");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[][] readCache(Path cache, String encoder, List<String> texts) throws IOException {
        Path f = cacheFile(cache, encoder, texts);
        if (!Files.exists(f)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
            int n = in.readInt(), d = in.readInt();
            float[][] v = new float[n][d];
            for (float[] row : v) {
                for (int j = 0; j < d; j++) {
                    row[j] = in.readFloat();
                }
            }
            return v;
        }
    }

    private static void writeCache(Path cache, String encoder, List<String> texts, float[][] v) throws IOException {
        Files.createDirectories(cache);
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(cacheFile(cache, encoder, texts))))) {
            out.writeInt(v.length);
            out.writeInt(v.length == 0 ? 0 : v[0].length);
            for (float[] row : v) {
                for (float x : row) {
                    out.writeFloat(x);
                }
            }
        }
    }
}
