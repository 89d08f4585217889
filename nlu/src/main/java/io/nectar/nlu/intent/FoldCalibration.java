package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * What held-out folds of the training data say about a head before the final one is trained
 * ({@link IntentTrainer}): the examples are split into stratified folds, a head trained on all but one
 * predicts the one left out, and on those out-of-fold logits a softmax temperature is fitted (least negative
 * log-likelihood), the out-of-scope threshold chosen and the held-out metrics and readings taken. Without
 * out-of-scope examples whole intents are held out in turn as well, so that a model meets questions it was
 * never taught. Blocking CPU work; the folds run on a bounded pool of their own.
 */
final class FoldCalibration {

    /** How the folds are held out; a head calibrated under another version is trained again. */
    static final int VERSION = 2;

    /**
     * @param temperature    softmax temperature fitted on the out-of-fold logits (1 without folds)
     * @param threshold      out-of-scope threshold on the margin (0.5 without folds)
     * @param metrics        held-out metrics at that threshold (training time not yet known: 0)
     * @param unseenRejected share of the held-out intents' examples rejected, when intents were held out (else NaN)
     * @param readings       every example's out-of-fold reading, for {@link AnswerCalibration} (empty without folds)
     */
    record Result(double temperature, double threshold, IntentModelInfo.Metrics metrics, double unseenRejected,
                  List<AnswerCalibration.Reading> readings) {
    }

    private FoldCalibration() {
    }

    /**
     * Calibrates a head of {@code labels} on dense vectors and lexical features; no folds (and the defaults)
     * when there are fewer than two examples a fold.
     */
    static Result run(float[][] vectors, List<String> texts, Function<List<String>, LexicalFeatures> lexiconOf, int[] y,
                      List<String> labels, SoftmaxHead.Fit fit, IntentTrainer.Options options) {
        int n = y.length;
        int oosIndex = labels.indexOf(IntentExample.OUT_OF_SCOPE);
        double temperature = 1.0;
        double threshold = 0.5;
        IntentModelInfo.Metrics metrics;
        int folds = n >= 2 * options.folds() ? options.folds() : 0;
        double unseenRejected = Double.NaN;
        List<AnswerCalibration.Reading> heldOut = List.of();
        if (folds > 0) {
            int[] exampleFolds = stratifiedFolds(y, labels.size(), folds, options.seed());
            float[][] oof = outOfFoldLogits(vectors, texts, lexiconOf, y, labels.size(), fit, exampleFolds, folds, options);
            temperature = fitTemperature(oof, y);
            float[][] probs = softmax(oof, temperature);
            int inScopeClasses = labels.size() - (oosIndex >= 0 ? 1 : 0);
            if (oosIndex < 0 && inScopeClasses >= 4) {
                // No out-of-scope examples: hold out whole intents instead. A model that never saw an intent
                // meets its examples as questions it was not taught, which is what out-of-scope means.
                int groups = Math.min(folds, inScopeClasses);
                int[] classFolds = classGroups(y, labels.size(), groups, options.seed());
                float[][] unseen = softmax(outOfFoldLogits(vectors, texts, lexiconOf, y, labels.size(), fit,
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
        return new Result(temperature, threshold, metrics, unseenRejected, heldOut);
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

    /**
     * Logits of every example from a head trained without its fold, on a lexicon fitted without it too: an
     * n-gram only the held-out examples have is as unknown to that head as a new question's (decision 125).
     */
    private static float[][] outOfFoldLogits(float[][] dense, List<String> texts, Function<List<String>, LexicalFeatures> lexiconOf,
                                             int[] y, int classes, SoftmaxHead.Fit fit, int[] fold, int folds,
                                             IntentTrainer.Options options) {
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
                    List<String> known = new ArrayList<>(m);
                    for (int i = 0; i < n; i++) {
                        if (fold[i] != held) {
                            known.add(texts.get(i));
                        }
                    }
                    LexicalFeatures lexicon = lexiconOf.apply(known);
                    float[][] d = new float[m][];
                    SparseVector[] l = new SparseVector[m];
                    int[] ly = new int[m];
                    int k = 0;
                    for (int i = 0; i < n; i++) {
                        if (fold[i] != held) {
                            d[k] = dense[i];
                            l[k] = lexicon.transform(texts.get(i));
                            ly[k++] = y[i];
                        }
                    }
                    SoftmaxHead h = SoftmaxHead.fit(d, l, ly, classes, lexicon.size(), fit);
                    for (int i = 0; i < n; i++) {
                        if (fold[i] == held) {
                            oof[i] = h.logits(dense[i], lexicon.transform(texts.get(i)));
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
