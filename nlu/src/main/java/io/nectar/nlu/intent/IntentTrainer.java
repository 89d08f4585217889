package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;
import io.nectar.nlu.exec.EncoderExecutor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains an intent model from labelled examples: a softmax head over frozen sentence vectors (any number of
 * encoders, concatenated) and word/character n-gram TF-IDF features, with a calibrated out-of-scope
 * threshold.
 * <p>
 * Calibration runs on held-out folds of the training data: the examples are split into {@code folds}
 * stratified folds, a head is trained on all but one and predicts the one left out. On those out-of-fold
 * predictions a softmax temperature is fitted (least negative log-likelihood) and then the rejection
 * threshold chosen, the one that maximises in-scope accuracy + {@code oosRecallWeight} × out-of-scope recall.
 * The out-of-scope examples are the data's {@value IntentExample#OUT_OF_SCOPE} ones when it has them;
 * otherwise (a typical FAQ) whole intents are held out in turn, and a model that never saw an intent
 * meets its examples as untaught questions. With fewer than four intents and no out-of-scope examples the
 * threshold keeps {@code acceptCorrect} of the correctly classified held-out examples. The final head is trained on
 * everything. Blocking CPU work: call it from a worker thread.
 */
public final class IntentTrainer {

    /**
     * @param folds              held-out folds for calibration (≥ 2; fewer examples than 2 × folds means no calibration)
     * @param lexical            use word/character n-gram features
     * @param lexicalWeight      length of the lexical vector relative to one sentence vector (a model without
     *                           encoders uses 1: there is nothing to weigh it against)
     * @param maxLexicalFeatures largest lexical vocabulary kept (most frequent first)
     * @param learningRate       AdamW peak learning rate (cosine decay)
     * @param weightDecay        AdamW decoupled weight decay
     * @param steps              mini-batch steps to aim for (bounded by 10..60 epochs)
     * @param acceptCorrect      with no out-of-scope examples: share of correctly classified held-out examples to accept
     * @param threads            threads for the folds
     * @param seed               shuffling seed (training is deterministic for a given seed and thread count)
     * @param labelSmoothing     share of each target spread over all classes (0 for none)
     * @param oosWeight          weight of an out-of-scope example's loss relative to an in-scope one's
     * @param oosRecallWeight    weight of out-of-scope recall against in-scope accuracy when choosing the threshold:
     *                           0.25 maximises accuracy on traffic where one question in five is out of scope
     */
    public record Options(int folds, boolean lexical, double lexicalWeight, int maxLexicalFeatures, double learningRate,
                          double weightDecay, int steps, double acceptCorrect, int threads, long seed,
                          double labelSmoothing, double oosWeight, double oosRecallWeight) {
        public static final Options DEFAULT = new Options(5, true, 0.3, 200_000, 0.01, 1e-4, 100, 0.95,
                Math.max(1, Runtime.getRuntime().availableProcessors()), 42, 0.0, 3.0, 0.25);

        public Options {
            if (folds < 2) {
                throw new IllegalArgumentException("folds must be >= 2");
            }
            if (acceptCorrect <= 0 || acceptCorrect > 1) {
                throw new IllegalArgumentException("acceptCorrect must be in (0, 1]");
            }
            if (threads < 1 || steps < 1 || learningRate <= 0 || lexicalWeight < 0 || maxLexicalFeatures < 0) {
                throw new IllegalArgumentException("threads, steps, learningRate must be positive");
            }
        }

        public Options withLexical(boolean on) {
            return new Options(folds, on, lexicalWeight, maxLexicalFeatures, learningRate, weightDecay, steps,
                    acceptCorrect, threads, seed, labelSmoothing, oosWeight, oosRecallWeight);
        }

        public Options withFolds(int n) {
            return new Options(n, lexical, lexicalWeight, maxLexicalFeatures, learningRate, weightDecay, steps,
                    acceptCorrect, threads, seed, labelSmoothing, oosWeight, oosRecallWeight);
        }

        public Options withOosWeight(double w) {
            return new Options(folds, lexical, lexicalWeight, maxLexicalFeatures, learningRate, weightDecay, steps,
                    acceptCorrect, threads, seed, labelSmoothing, w, oosRecallWeight);
        }

        public Options withThreads(int n) {
            return new Options(folds, lexical, lexicalWeight, maxLexicalFeatures, learningRate, weightDecay, steps,
                    acceptCorrect, n, seed, labelSmoothing, oosWeight, oosRecallWeight);
        }

        SoftmaxHead.Fit fit(int oosIndex, int examples) {
            // larger batches for large sets: fewer optimiser steps over the dense weights, same epochs
            return new SoftmaxHead.Fit(learningRate, weightDecay, examples > 5000 ? 64 : 32, steps, 10, 60, labelSmoothing,
                    oosIndex, oosWeight, seed);
        }
    }

    private IntentTrainer() {
    }

    /**
     * Encodes the examples with the named encoders through the executor (blocking; waits for queue space)
     * and trains on them.
     */
    public static TrainedIntentModel train(List<IntentExample> examples, EncoderExecutor executor,
                                           List<String> encoderNames, Options options) {
        List<String> texts = new ArrayList<>(examples.size());
        for (IntentExample e : examples) {
            texts.add(e.text());
        }
        List<IntentModelInfo.EncoderRef> refs = new ArrayList<>();
        List<List<float[]>> perEncoder = new ArrayList<>();
        for (String name : encoderNames) {
            if (executor.encoder(name) == null) {
                throw new NluException(NluException.Code.BAD_REQUEST, "no encoder named " + name);
            }
            refs.add(new IntentModelInfo.EncoderRef(name, executor.encoder(name).dimension()));
            perEncoder.add(executor.encodeAllBlocking(name, texts));
        }
        float[][] dense = new float[examples.size()][];
        for (int i = 0; i < dense.length; i++) {
            Map<String, float[]> byName = new HashMap<>();
            for (int e = 0; e < encoderNames.size(); e++) {
                byName.put(encoderNames.get(e), perEncoder.get(e).get(i));
            }
            dense[i] = concat(byName, refs);
        }
        return train(examples, refs, dense, options);
    }

    /**
     * Trains on examples whose sentence vectors are already known.
     *
     * @param encoders the encoders behind {@code vectors}, in order (empty for a lexical-only model)
     * @param vectors  per example, its encoders' vectors concatenated in {@code encoders} order
     */
    public static TrainedIntentModel train(List<IntentExample> examples, List<IntentModelInfo.EncoderRef> encoders,
                                           float[][] vectors, Options options) {
        long started = System.nanoTime();
        if (examples.size() != vectors.length) {
            throw new IllegalArgumentException(examples.size() + " examples but " + vectors.length + " vectors");
        }
        if (encoders.isEmpty() && !options.lexical()) {
            throw new NluException(NluException.Code.BAD_REQUEST, "a model needs encoders or lexical features");
        }
        List<String> labels = new ArrayList<>(new TreeSet<>(examples.stream().map(IntentExample::intent).toList()));
        if (labels.size() < 2) {
            throw new NluException(NluException.Code.BAD_REQUEST,
                    "at least two intents (or one intent and out-of-scope examples) are needed, got " + labels);
        }
        int dim = 0;
        for (IntentModelInfo.EncoderRef e : encoders) {
            dim += e.dimension();
        }
        for (float[] v : vectors) {
            if (v.length != dim) {
                throw new IllegalArgumentException("vector of length " + v.length + ", encoders give " + dim);
            }
        }
        int n = examples.size();
        int[] y = new int[n];
        Map<String, Integer> labelIndex = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.get(i), i);
        }
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            y[i] = labelIndex.get(examples.get(i).intent());
            texts.add(examples.get(i).text());
        }
        LexicalFeatures lexicon = options.lexical()
                ? LexicalFeatures.fit(texts, n > 2000 ? 2 : 1, options.maxLexicalFeatures(),
                        encoders.isEmpty() ? 1f : (float) options.lexicalWeight())
                : LexicalFeatures.none();
        SparseVector[] lex = new SparseVector[n];
        for (int i = 0; i < n; i++) {
            lex[i] = lexicon.transform(texts.get(i));
        }
        int oosIndex = labels.indexOf(IntentExample.OUT_OF_SCOPE);
        SoftmaxHead.Fit fit = options.fit(oosIndex, n);

        double temperature = 1.0;
        double threshold = 0.5;
        IntentModelInfo.Metrics metrics;
        int folds = n >= 2 * options.folds() ? options.folds() : 0;
        double unseenRejected = Double.NaN;
        List<AnswerCalibration.Reading> heldOut = List.of();
        if (folds > 0) {
            int[] exampleFolds = stratifiedFolds(y, labels.size(), folds, options.seed());
            float[][] oof = outOfFoldLogits(vectors, lex, y, labels.size(), lexicon.size(), fit, exampleFolds, folds, options);
            temperature = fitTemperature(oof, y);
            float[][] probs = softmax(oof, temperature);
            int inScopeClasses = labels.size() - (oosIndex >= 0 ? 1 : 0);
            if (oosIndex < 0 && inScopeClasses >= 4) {
                // No out-of-scope examples: hold out whole intents instead. A model that never saw an intent
                // meets its examples as questions it was not taught, which is what out-of-scope means.
                int groups = Math.min(folds, inScopeClasses);
                int[] classFolds = classGroups(y, labels.size(), groups, options.seed());
                float[][] unseen = softmax(outOfFoldLogits(vectors, lex, y, labels.size(), lexicon.size(), fit,
                        classFolds, groups, options), temperature);
                float[][] both = new float[2 * n][];
                int[] bothY = new int[2 * n];
                int pseudoOos = labels.size();
                for (int i = 0; i < n; i++) {
                    both[i] = probs[i];
                    bothY[i] = y[i];
                    both[n + i] = unseen[i];
                    bothY[n + i] = pseudoOos;
                }
                threshold = chooseThreshold(both, bothY, labels, pseudoOos, options.acceptCorrect(), options.oosRecallWeight());
                int rejected = 0;
                for (float[] p : unseen) {
                    if (IntentResult.decide(p, labels, threshold).outOfScope()) {
                        rejected++;
                    }
                }
                unseenRejected = (double) rejected / n;
            } else {
                threshold = chooseThreshold(probs, y, labels, oosIndex, options.acceptCorrect(), options.oosRecallWeight());
            }
            metrics = heldOutMetrics(probs, y, labels, threshold, folds, 0);
            heldOut = readings(probs, y, labels);
        } else {
            metrics = new IntentModelInfo.Metrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        SoftmaxHead head = SoftmaxHead.fit(vectors, lex, y, labels.size(), lexicon.size(), fit);
        head.scale((float) (1.0 / temperature));
        double seconds = (System.nanoTime() - started) / 1e9;
        metrics = new IntentModelInfo.Metrics(metrics.folds(), metrics.accuracy(), metrics.inScopeAccuracy(),
                metrics.oosRecall(), metrics.oosPrecision(), unseenRejected, seconds);
        IntentModelInfo info = new IntentModelInfo(IntentModelInfo.FORMAT, List.copyOf(labels), List.copyOf(encoders),
                lexicon.size(), threshold, temperature, IntentExample.hash(examples), n, Instant.now().toString(), metrics);
        int probes = Math.min(n, 16);
        float[][] probeDense = new float[probes][];
        String[] probeTexts = new String[probes];
        for (int i = 0; i < probes; i++) {
            int row = (int) ((long) i * n / probes);
            probeDense[i] = vectors[row];
            probeTexts[i] = texts.get(row);
        }
        return new TrainedIntentModel(info, head, lexicon, probeDense, probeTexts, heldOut);
    }

    /** Every example's out-of-fold reading, for {@link AnswerCalibration}. */
    private static List<AnswerCalibration.Reading> readings(float[][] probs, int[] y, List<String> labels) {
        List<AnswerCalibration.Reading> out = new ArrayList<>(y.length);
        int oos = labels.indexOf(IntentExample.OUT_OF_SCOPE);
        for (int i = 0; i < y.length; i++) {
            IntentResult r = IntentResult.decide(probs[i], labels, 0);
            out.add(new AnswerCalibration.Reading(i, labels.get(y[i]), r.intent(), r.confidence(),
                    oos >= 0 ? probs[i][oos] : 0));
        }
        return List.copyOf(out);
    }

    /** Concatenates a text's vectors in the model's encoder order. */
    public static float[] concat(Map<String, float[]> vectors, List<IntentModelInfo.EncoderRef> encoders) {
        int dim = 0;
        for (IntentModelInfo.EncoderRef e : encoders) {
            dim += e.dimension();
        }
        float[] out = new float[dim];
        int off = 0;
        for (IntentModelInfo.EncoderRef e : encoders) {
            float[] v = vectors.get(e.name());
            if (v == null) {
                throw new NluException(NluException.Code.BAD_REQUEST, "missing vector of encoder " + e.name());
            }
            if (v.length != e.dimension()) {
                throw new NluException(NluException.Code.BAD_REQUEST, "vector of " + e.name() + " has length "
                        + v.length + ", expected " + e.dimension());
            }
            System.arraycopy(v, 0, out, off, v.length);
            off += v.length;
        }
        return out;
    }

    private static float[][] softmax(float[][] logits, double temperature) {
        float[][] out = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = scaled(logits[i], temperature);
            SoftmaxHead.softmaxInPlace(out[i]);
        }
        return out;
    }

    /** Assigns whole classes to groups (round-robin over shuffled classes): fold of each example. */
    static int[] classGroups(int[] y, int classes, int groups, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            order.add(c);
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        int[] groupOf = new int[classes];
        for (int i = 0; i < classes; i++) {
            groupOf[order.get(i)] = i % groups;
        }
        int[] fold = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            fold[i] = groupOf[y[i]];
        }
        return fold;
    }

    /** Logits of every example from a head trained without its fold. */
    private static float[][] outOfFoldLogits(float[][] dense, SparseVector[] lex, int[] y, int classes, int vocab,
                                             SoftmaxHead.Fit fit, int[] fold, int folds, Options options) {
        int n = y.length;
        float[][] oof = new float[n][];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), folds), r -> {
            Thread t = new Thread(r, "nlu-train");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                final int held = f;
                running.add(pool.submit(() -> {
                    int m = 0;
                    for (int i = 0; i < n; i++) {
                        if (fold[i] != held) {
                            m++;
                        }
                    }
                    float[][] d = new float[m][];
                    SparseVector[] l = new SparseVector[m];
                    int[] ly = new int[m];
                    int k = 0;
                    for (int i = 0; i < n; i++) {
                        if (fold[i] != held) {
                            d[k] = dense[i];
                            l[k] = lex[i];
                            ly[k++] = y[i];
                        }
                    }
                    SoftmaxHead h = SoftmaxHead.fit(d, l, ly, classes, vocab, fit);
                    for (int i = 0; i < n; i++) {
                        if (fold[i] == held) {
                            oof[i] = h.logits(dense[i], lex[i]);
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NluException(NluException.Code.CLOSED, "training interrupted");
        } catch (ExecutionException e) {
            throw new NluException(NluException.Code.MODEL, "training failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return oof;
    }

    static int[] stratifiedFolds(int[] y, int classes, int folds, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            byClass.get(y[i]).add(i);
        }
        int[] fold = new int[y.length];
        int next = 0;
        for (List<Integer> members : byClass) {
            for (int i = members.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Integer tmp = members.get(i);
                members.set(i, members.get(j));
                members.set(j, tmp);
            }
            // continue the round-robin across classes so small classes spread over all folds
            for (Integer idx : members) {
                fold[idx] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    private static float[] scaled(float[] logits, double temperature) {
        float[] z = new float[logits.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (logits[i] / temperature);
        }
        return z;
    }

    /** Temperature minimising the negative log-likelihood of the held-out labels (golden-section on log T). */
    static double fitTemperature(float[][] logits, int[] y) {
        double lo = Math.log(0.05), hi = Math.log(20);
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = nll(logits, y, Math.exp(a)), fb = nll(logits, y, Math.exp(b));
        for (int it = 0; it < 40; it++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - phi * (hi - lo);
                fa = nll(logits, y, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + phi * (hi - lo);
                fb = nll(logits, y, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    private static double nll(float[][] logits, int[] y, double t) {
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            float[] z = logits[i];
            double max = Double.NEGATIVE_INFINITY;
            for (float v : z) {
                max = Math.max(max, v / t);
            }
            double sum = 0;
            for (float v : z) {
                sum += Math.exp(v / t - max);
            }
            total += -(z[y[i]] / t - max - Math.log(sum));
        }
        return total / y.length;
    }

    /**
     * The threshold on the {@linkplain IntentResult#margin() margin} of the top intent over the out-of-scope
     * class (its probability when there is no such class) that maximises in-scope accuracy +
     * {@code oosRecallWeight} × out-of-scope recall on held-out predictions; without out-of-scope examples,
     * the one that keeps {@code acceptCorrect} of the correctly read ones.
     */
    static double chooseThreshold(float[][] probs, int[] y, List<String> labels, int oosIndex, double acceptCorrect,
                                  double oosRecallWeight) {
        int n = y.length;
        double[] conf = new double[n];   // the margin each threshold is compared with
        boolean[] right = new boolean[n];
        boolean[] oosWins = new boolean[n];
        int inScope = 0, oos = 0;
        for (int i = 0; i < n; i++) {
            IntentResult r = IntentResult.decide(probs[i], labels, 0);
            conf[i] = r.margin();
            oosWins[i] = r.outOfScope();
            if (y[i] == oosIndex) {
                oos++;
            } else {
                inScope++;
                right[i] = labels.indexOf(r.intent()) == y[i];
            }
        }
        if (oos == 0) {
            double[] correct = new double[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (right[i] && !oosWins[i]) {
                    correct[m++] = conf[i];
                }
            }
            if (m == 0) {
                return 0.5;
            }
            double[] sorted = Arrays.copyOf(correct, m);
            Arrays.sort(sorted);
            int at = (int) Math.floor((1 - acceptCorrect) * m);
            return Math.max(0, sorted[Math.min(at, m - 1)] - 1e-6);
        }
        double[] candidates = conf.clone();
        Arrays.sort(candidates);
        double best = 0, bestScore = Double.NEGATIVE_INFINITY;
        // walk thresholds upwards; score = in-scope accuracy + oosRecallWeight × out-of-scope recall
        for (int c = -1; c < candidates.length; c++) {
            double t = c < 0 ? 0 : candidates[c] + 1e-9;
            int inRight = 0, oosRejected = 0;
            for (int i = 0; i < n; i++) {
                boolean reject = oosWins[i] || conf[i] < t;
                if (y[i] == oosIndex) {
                    if (reject) {
                        oosRejected++;
                    }
                } else if (right[i] && !reject) {
                    inRight++;
                }
            }
            double score = (double) inRight / inScope + oosRecallWeight * oosRejected / oos;
            if (score > bestScore + 1e-12) {
                bestScore = score;
                // midway to the next confidence value keeps the threshold off any one example
                best = c < 0 ? 0 : (c + 1 < candidates.length ? (candidates[c] + candidates[c + 1]) / 2 : candidates[c] + 1e-6);
            }
        }
        return best;
    }

    static IntentModelInfo.Metrics heldOutMetrics(float[][] probs, int[] y, List<String> labels, double threshold,
                                                  int folds, double seconds) {
        int oosIndex = labels.indexOf(IntentExample.OUT_OF_SCOPE);
        int n = y.length, right = 0, inScope = 0, inRight = 0, oos = 0, oosRejected = 0, rejected = 0;
        for (int i = 0; i < n; i++) {
            IntentResult r = IntentResult.decide(probs[i], labels, threshold);
            if (r.outOfScope()) {
                rejected++;
            }
            if (y[i] == oosIndex) {
                oos++;
                if (r.outOfScope()) {
                    oosRejected++;
                    right++;
                }
            } else {
                inScope++;
                if (!r.outOfScope() && labels.get(y[i]).equals(r.intent())) {
                    inRight++;
                    right++;
                }
            }
        }
        return new IntentModelInfo.Metrics(folds, (double) right / n, inScope == 0 ? Double.NaN : (double) inRight / inScope,
                oos == 0 ? Double.NaN : (double) oosRejected / oos,
                oos == 0 ? Double.NaN : rejected == 0 ? 0 : (double) oosRejected / rejected, Double.NaN, seconds);
    }
}
