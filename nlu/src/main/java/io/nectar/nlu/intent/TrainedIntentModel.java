package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A freshly trained intent model, held in memory with its weights. It classifies in plain Java (the
 * reference arithmetic) and {@link #save}s itself as {@code model.onnx} + {@code model.json} +
 * {@code lexicon.txt}; serving goes through {@link IntentModel}, which loads those files into ONNX Runtime.
 */
public final class TrainedIntentModel implements IntentClassifier {

    private final IntentModelInfo info;
    private final SoftmaxHead head;
    private final LexicalFeatures lexicon;
    private final float[][] probeDense;
    private final String[] probeTexts;
    private final List<AnswerCalibration.Reading> heldOut;

    TrainedIntentModel(IntentModelInfo info, SoftmaxHead head, LexicalFeatures lexicon, float[][] probeDense,
                       String[] probeTexts, List<AnswerCalibration.Reading> heldOut) {
        this.heldOut = List.copyOf(heldOut);
        this.info = info;
        this.head = head;
        this.lexicon = lexicon;
        this.probeDense = probeDense;
        this.probeTexts = probeTexts;
    }

    /** Out-of-fold readings of the training examples (empty when there were too few to hold any out). */
    public List<AnswerCalibration.Reading> heldOut() {
        return heldOut;
    }

    @Override
    public IntentModelInfo info() {
        return info;
    }

    @Override
    public IntentResult classify(Map<String, float[]> vectors, String text) {
        return IntentResult.decide(probabilities(IntentTrainer.concat(vectors, info.encoders()), text), info.labels(),
                info.threshold());
    }

    /** Class probabilities (in {@code info().labels()} order) for concatenated sentence vectors and the text. */
    public float[] probabilities(float[] dense, String text) {
        float[] z = head.logits(dense, lexicon.transform(text));
        SoftmaxHead.softmaxInPlace(z);
        return z;
    }

    /** Length of the lexical features beside one sentence vector (0 without lexical features). */
    public double lexicalWeight() {
        return lexicon.weight();
    }

    /** Size of the exported ONNX graph's weights in bytes. */
    public long weightBytes() {
        return 4L * (head.wDense.length + head.wLex.length + head.bias.length);
    }

    /**
     * Writes the model into {@code dir}, which must not exist yet, and checks the written ONNX file by loading
     * it in ONNX Runtime and comparing its probabilities with this model's on training examples. Files are
     * written to a sibling temporary directory first and moved into place, so a reader never sees half a
     * model. Blocking file work.
     */
    public void save(Path dir) {
        if (Files.exists(dir)) {
            throw new NluException(NluException.Code.BAD_REQUEST, dir + " already exists; models are never overwritten");
        }
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            byte[] onnx = OnnxHeadWriter.write(head, "nectar_intent_head",
                    Map.of("nectar.labels", String.join("\n", info.labels()),
                            "nectar.training_data_sha256", info.trainingDataHash()));
            Files.write(tmp.resolve(IntentModelInfo.ONNX_FILE), onnx);
            info.write(tmp.resolve(IntentModelInfo.FILE));
            lexicon.write(tmp.resolve(LexicalFeatures.FILE));
            AnswerCalibration.write(heldOut, tmp.resolve(AnswerCalibration.FILE));
            verify(tmp);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new NluException(NluException.Code.MODEL, "cannot write model to " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private void verify(Path dir) {
        try (IntentModel loaded = IntentModel.load(dir)) {
            for (int i = 0; i < probeTexts.length; i++) {
                float[] expected = probabilities(probeDense[i], probeTexts[i]);
                float[] actual = loaded.probabilities(probeDense[i], probeTexts[i]);
                for (int k = 0; k < expected.length; k++) {
                    if (Math.abs(expected[k] - actual[k]) > 1e-4) {
                        throw new NluException(NluException.Code.MODEL, "written ONNX model disagrees with the trained one "
                                + "on \"" + probeTexts[i] + "\" class " + info.labels().get(k) + ": "
                                + actual[k] + " vs " + expected[k]);
                    }
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: a stray temporary directory is harmless
        }
    }

    List<String> labels() {
        return info.labels();
    }
}
