package io.nectar.nlu.intent;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The weights of an intent head, a softmax regression over a dense part (concatenated sentence vectors)
 * and a sparse lexical part: {@code logits = dense · Wd + Σ value_k · Wl[id_k] + b}. Trained with AdamW on
 * mini-batches in plain Java (lazy updates for the sparse rows). The same arithmetic is exported to ONNX
 * by {@link OnnxHeadWriter}; {@link #logits} is the reference the exported model is checked against.
 * Immutable after {@link #fit}; any thread may call {@link #logits}.
 */
final class SoftmaxHead {

    /** Training settings. */
    record Fit(double learningRate, double weightDecay, int batchSize, int steps, int minEpochs, int maxEpochs,
               double labelSmoothing, int upweightClass, double upweight, long seed) {
    }

    final int denseDim;
    final int vocab;
    final int classes;
    final float[] wDense;   // denseDim × classes, row-major
    final float[] wLex;     // vocab × classes, row-major
    final float[] bias;     // classes

    SoftmaxHead(int denseDim, int vocab, int classes) {
        this.denseDim = denseDim;
        this.vocab = vocab;
        this.classes = classes;
        this.wDense = new float[denseDim * classes];
        this.wLex = new float[vocab * classes];
        this.bias = new float[classes];
    }

    float[] logits(float[] dense, SparseVector lex) {
        float[] z = bias.clone();
        addLogits(dense, lex, z);
        return z;
    }

    private void addLogits(float[] dense, SparseVector lex, float[] z) {
        int c = classes;
        for (int d = 0; d < denseDim; d++) {
            float x = dense[d];
            if (x == 0f) {
                continue;
            }
            int off = d * c;
            for (int k = 0; k < c; k++) {
                z[k] += x * wDense[off + k];
            }
        }
        int[] ids = lex.ids();
        float[] vals = lex.values();
        for (int i = 0; i < ids.length; i++) {
            float v = vals[i];
            int off = ids[i] * c;
            for (int k = 0; k < c; k++) {
                z[k] += v * wLex[off + k];
            }
        }
    }

    /** Multiplies every weight by {@code factor} (temperature scaling folded into the weights). */
    void scale(float factor) {
        for (int i = 0; i < wDense.length; i++) {
            wDense[i] *= factor;
        }
        for (int i = 0; i < wLex.length; i++) {
            wLex[i] *= factor;
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] *= factor;
        }
    }

    static void softmaxInPlace(float[] z) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) Math.exp(z[i] - max);
            sum += z[i];
        }
        for (int i = 0; i < z.length; i++) {
            z[i] /= (float) sum;
        }
    }

    /**
     * Trains a head on the given rows. Weights start at each class's mean feature vector (a nearest-centroid
     * classifier), which cuts the steps needed, and matters most with a handful of examples per class.
     */
    static SoftmaxHead fit(float[][] dense, SparseVector[] lex, int[] labels, int classes, int vocab, Fit fit) {
        int n = labels.length;
        int dim = n == 0 ? 0 : dense[0].length;
        SoftmaxHead h = new SoftmaxHead(dim, vocab, classes);
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            count[labels[i]]++;
            float[] x = dense[i];
            for (int d = 0; d < dim; d++) {
                h.wDense[d * classes + labels[i]] += x[d];
            }
        }
        for (int d = 0; d < dim; d++) {
            for (int k = 0; k < classes; k++) {
                if (count[k] > 0) {
                    h.wDense[d * classes + k] *= 5f / count[k];
                }
            }
        }
        // the lexical weights start the same way: each class's mean n-gram vector (a Rocchio classifier)
        for (int i = 0; i < n; i++) {
            int[] ids = lex[i].ids();
            float[] vals = lex[i].values();
            float scale = 5f / count[labels[i]];
            for (int q = 0; q < ids.length; q++) {
                h.wLex[ids[q] * classes + labels[i]] += vals[q] * scale;
            }
        }

        int batch = Math.min(fit.batchSize(), Math.max(1, n));
        // zb below is sized for this batch
        int stepsPerEpoch = (n + batch - 1) / batch;
        int epochs = Math.max(fit.minEpochs(), Math.min(fit.maxEpochs(), (fit.steps() + stepsPerEpoch - 1) / stepsPerEpoch));
        int totalSteps = epochs * stepsPerEpoch;

        float[] gDense = new float[h.wDense.length];
        float[] mDense = new float[h.wDense.length];
        float[] vDense = new float[h.wDense.length];
        float[] gLex = new float[h.wLex.length];
        float[] mLex = new float[h.wLex.length];
        float[] vLex = new float[h.wLex.length];
        boolean[] touched = new boolean[vocab];
        int[] touchedRows = new int[vocab];
        float[] gBias = new float[classes];
        float[] mBias = new float[classes];
        float[] vBias = new float[classes];
        float[] z = new float[classes];
        float[] zb = new float[Math.min(fit.batchSize(), Math.max(1, n)) * classes];

        final double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        float smooth = (float) fit.labelSmoothing();
        SplittableRandom random = new SplittableRandom(fit.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int t = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int start = 0; start < n; start += batch) {
                int end = Math.min(n, start + batch);
                int rows = end - start;
                int nTouched = 0;
                Arrays.fill(gDense, 0f);
                Arrays.fill(gBias, 0f);
                float inv = 1f / rows;
                // forward for the whole batch: each weight row is read once per batch, not once per example
                for (int b = 0; b < rows; b++) {
                    System.arraycopy(h.bias, 0, zb, b * classes, classes);
                }
                for (int d = 0; d < dim; d++) {
                    int off = d * classes;
                    for (int b = 0; b < rows; b++) {
                        float x = dense[order[start + b]][d];
                        if (x == 0f) {
                            continue;
                        }
                        int zo = b * classes;
                        for (int k = 0; k < classes; k++) {
                            zb[zo + k] += x * h.wDense[off + k];
                        }
                    }
                }
                for (int b = 0; b < rows; b++) {
                    int row = order[start + b];
                    int zo = b * classes;
                    int[] ids = lex[row].ids();
                    float[] vals = lex[row].values();
                    for (int q = 0; q < ids.length; q++) {
                        float v = vals[q];
                        int off = ids[q] * classes;
                        for (int k = 0; k < classes; k++) {
                            zb[zo + k] += v * h.wLex[off + k];
                        }
                    }
                    System.arraycopy(zb, zo, z, 0, classes);
                    softmaxInPlace(z);
                    // gradient of cross-entropy with label smoothing: p - target
                    float w = labels[row] == fit.upweightClass() ? (float) fit.upweight() * inv : inv;
                    for (int k = 0; k < classes; k++) {
                        float target = (k == labels[row] ? 1f - smooth : 0f) + smooth / classes;
                        float g = (z[k] - target) * w;
                        zb[zo + k] = g;
                        gBias[k] += g;
                    }
                    for (int q = 0; q < ids.length; q++) {
                        int id = ids[q];
                        if (!touched[id]) {
                            touched[id] = true;
                            touchedRows[nTouched++] = id;
                        }
                        float v = vals[q];
                        int off = id * classes;
                        for (int k = 0; k < classes; k++) {
                            gLex[off + k] += v * zb[zo + k];
                        }
                    }
                }
                for (int d = 0; d < dim; d++) {
                    int off = d * classes;
                    for (int b = 0; b < rows; b++) {
                        float x = dense[order[start + b]][d];
                        if (x == 0f) {
                            continue;
                        }
                        int zo = b * classes;
                        for (int k = 0; k < classes; k++) {
                            gDense[off + k] += x * zb[zo + k];
                        }
                    }
                }
                t++;
                double lr = fit.learningRate() * 0.5 * (1 + Math.cos(Math.PI * (t - 1) / totalSteps));
                float c1 = (float) (1 - Math.pow(b1, t));
                float c2 = (float) (1 - Math.pow(b2, t));
                float step = (float) lr;
                float decay = (float) (1 - lr * fit.weightDecay());
                adam(h.wDense, gDense, mDense, vDense, 0, h.wDense.length, step, decay, c1, c2, b1, b2, eps);
                adam(h.bias, gBias, mBias, vBias, 0, classes, step, 1f, c1, c2, b1, b2, eps);
                for (int r = 0; r < nTouched; r++) {
                    int off = touchedRows[r] * classes;
                    adam(h.wLex, gLex, mLex, vLex, off, off + classes, step, decay, c1, c2, b1, b2, eps);
                    Arrays.fill(gLex, off, off + classes, 0f);
                    touched[touchedRows[r]] = false;
                }
            }
        }
        return h;
    }

    private static void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float lr, float decay,
                             float c1, float c2, double b1, double b2, double eps) {
        float fb1 = (float) b1, fb2 = (float) b2, feps = (float) eps;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = fb1 * m[i] + (1 - fb1) * gi;
            float vi = fb2 * v[i] + (1 - fb2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] * decay - lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + feps);
        }
    }
}
