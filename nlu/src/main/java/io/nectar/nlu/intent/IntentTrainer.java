package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;
import io.nectar.nlu.exec.EncoderExecutor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Trains an intent model from labelled examples: a softmax head over frozen sentence vectors (any number of
 * encoders, concatenated) and word/character n-gram TF-IDF features, with a calibrated out-of-scope
 * threshold.
 * <p>
 * Calibration runs on held-out folds of the training data ({@link FoldCalibration}): the examples are split
 * into {@code folds} stratified folds, a head is trained on all but one and predicts the one left out. On
 * those out-of-fold predictions a softmax temperature is fitted (least negative log-likelihood) and then the
 * rejection threshold chosen, the one that maximises in-scope accuracy + {@code oosRecallWeight} × out-of-scope recall.
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

        /**
         * The heavier lexical weight a Chinese head may choose ({@link #lexicalWeightsFor}), chosen on held-out
         * folds of training data (decision 125): SMP2017's 80% training part (weights 0.3 / 0.6 / 1.0 / 1.5 /
         * 2.0: 0.853 / 0.852 / 0.859 / 0.863 / 0.869) and a store of 11 of its phrasings an intent (0.796 /
         * 0.811 / 0.830 / 0.834 / 0.825); 1.5 is the best of the two together.
         */
        public static final double CHINESE_LEXICAL_WEIGHT = 1.5;

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

        public Options withLexicalWeight(double w) {
            return new Options(folds, lexical, w, maxLexicalFeatures, learningRate, weightDecay, steps,
                    acceptCorrect, threads, seed, labelSmoothing, oosWeight, oosRecallWeight);
        }

        /**
         * The lexical weights a head of language {@code lang} chooses among by its held-out folds
         * ({@link IntentTrainer#train(List, EncoderExecutor, List, Options, double[])}): for Chinese, unless these
         * options set a weight other than the default's, this one and {@link #CHINESE_LEXICAL_WEIGHT}; Chinese
         * words are not spaced, so its character n-grams carry what word n-grams carry elsewhere, more in a
         * store of distinct intents than in one of near-synonymous entries (decision 125). Otherwise this one.
         */
        public double[] lexicalWeightsFor(String lang) {
            return "zh".equals(lang) && lexicalWeight == DEFAULT.lexicalWeight()
                    ? new double[]{lexicalWeight, CHINESE_LEXICAL_WEIGHT} : new double[]{lexicalWeight};
        }

        /**
         * The settings that decide what a head learns, as one line (threads and the out-of-scope weight,
         * which follows from the examples, left out): a saved head trained with other settings is trained again.
         */
        public String recipe() {
            return "lexicon=" + LexicalFeatures.VERSION + " calibration=" + FoldCalibration.VERSION + " folds=" + folds
                    + " lexical=" + lexical + " lexicalWeight=" + lexicalWeight + " maxLexical=" + maxLexicalFeatures
                    + " lr=" + learningRate + " wd=" + weightDecay + " steps=" + steps + " acceptCorrect=" + acceptCorrect
                    + " seed=" + seed + " labelSmoothing=" + labelSmoothing + " oosRecallWeight=" + oosRecallWeight;
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
        return train(examples, executor, encoderNames, options, new double[]{options.lexicalWeight()});
    }

    /**
     * As {@link #train(List, EncoderExecutor, List, Options)}, choosing among lexical weights by held-out folds
     * ({@link #train(List, List, float[][], Options, double[])}); the examples are encoded once.
     */
    public static TrainedIntentModel train(List<IntentExample> examples, EncoderExecutor executor,
                                           List<String> encoderNames, Options options, double[] lexicalWeights) {
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
        return train(examples, refs, dense, options, lexicalWeights);
    }

    /**
     * Trains on examples whose sentence vectors are already known.
     *
     * @param encoders the encoders behind {@code vectors}, in order (empty for a lexical-only model)
     * @param vectors  per example, its encoders' vectors concatenated in {@code encoders} order
     */
    public static TrainedIntentModel train(List<IntentExample> examples, List<IntentModelInfo.EncoderRef> encoders,
                                           float[][] vectors, Options options) {
        return train(examples, encoders, vectors, options, new double[]{options.lexicalWeight()});
    }

    /**
     * As {@link #train(List, List, float[][], Options)}, calibrating on held-out folds at each lexical weight
     * and fitting the final head at the one whose folds read the examples best (the first on a tie, or when
     * there are too few examples for folds).
     */
    public static TrainedIntentModel train(List<IntentExample> examples, List<IntentModelInfo.EncoderRef> encoders,
                                           float[][] vectors, Options options, double[] lexicalWeights) {
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
        int oosIndex = labels.indexOf(IntentExample.OUT_OF_SCOPE);
        SoftmaxHead.Fit fit = options.fit(oosIndex, n);
        FoldCalibration.Result held = null;
        Function<List<String>, LexicalFeatures> lexiconOf = null;
        for (double w : lexicalWeights) {
            Function<List<String>, LexicalFeatures> candidate = lexiconOf(options, w, encoders.isEmpty(), n);
            FoldCalibration.Result r = FoldCalibration.run(vectors, texts, candidate, y, labels, fit, options);
            if (held == null || r.metrics().accuracy() > held.metrics().accuracy()) {
                held = r;
                lexiconOf = candidate;
            }
        }
        LexicalFeatures lexicon = lexiconOf.apply(texts);
        SparseVector[] lex = new SparseVector[n];
        for (int i = 0; i < n; i++) {
            lex[i] = lexicon.transform(texts.get(i));
        }
        SoftmaxHead head = SoftmaxHead.fit(vectors, lex, y, labels.size(), lexicon.size(), fit);
        head.scale((float) (1.0 / held.temperature()));
        double seconds = (System.nanoTime() - started) / 1e9;
        IntentModelInfo.Metrics m = held.metrics();
        IntentModelInfo.Metrics metrics = new IntentModelInfo.Metrics(m.folds(), m.accuracy(), m.inScopeAccuracy(),
                m.oosRecall(), m.oosPrecision(), held.unseenRejected(), seconds);
        IntentModelInfo info = new IntentModelInfo(IntentModelInfo.FORMAT, List.copyOf(labels), List.copyOf(encoders),
                lexicon.size(), held.threshold(), held.temperature(), IntentExample.hash(examples), n, Instant.now().toString(),
                metrics);
        int probes = Math.min(n, 16);
        float[][] probeDense = new float[probes][];
        String[] probeTexts = new String[probes];
        for (int i = 0; i < probes; i++) {
            int row = (int) ((long) i * n / probes);
            probeDense[i] = vectors[row];
            probeTexts[i] = texts.get(row);
        }
        return new TrainedIntentModel(info, head, lexicon, probeDense, probeTexts, held.readings());
    }

    /**
     * How a head's lexical features are fitted on a list of texts at lexical weight {@code weight} (a model
     * without encoders weighs them 1: there is nothing to weigh them against).
     */
    private static Function<List<String>, LexicalFeatures> lexiconOf(Options options, double weight, boolean lexicalOnly, int examples) {
        if (!options.lexical()) {
            return t -> LexicalFeatures.none();
        }
        int minDf = examples > 2000 ? 2 : 1;
        float w = lexicalOnly ? 1f : (float) weight;
        return t -> LexicalFeatures.fit(t, minDf, options.maxLexicalFeatures(), w);
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
}
