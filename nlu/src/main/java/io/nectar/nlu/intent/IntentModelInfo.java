package io.nectar.nlu.intent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nectar.nlu.NluException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code model.json} says about a trained intent model: everything needed to serve it beside the
 * ONNX file, and how it was made.
 *
 * @param format           file format version ({@value #FORMAT})
 * @param labels           the classes, in the order of the ONNX output; may include {@value IntentExample#OUT_OF_SCOPE}
 * @param encoders         the sentence encoders whose vectors make the {@code dense} input, in order (empty: lexical only)
 * @param lexicalFeatures  size of the lexical vocabulary (0: no lexical input)
 * @param threshold        calibrated margin of the top intent over the out-of-scope class ({@link IntentResult#margin()})
 *                         below which the answer is "out of scope" (format 1 applied it to the top intent's
 *                         probability alone; such models are trained again)
 * @param temperature      softmax temperature found on held-out folds (already folded into the ONNX weights)
 * @param trainingDataHash SHA-256 of the training examples ({@link IntentExample#hash})
 * @param examples         number of training examples
 * @param createdAt        ISO-8601 instant of training
 * @param metrics          held-out (cross-validated) quality and the training time
 */
public record IntentModelInfo(int format, List<String> labels, List<EncoderRef> encoders, int lexicalFeatures,
                              double threshold, double temperature, String trainingDataHash, int examples,
                              String createdAt, Metrics metrics) {

    public static final int FORMAT = 2;
    public static final String FILE = "model.json";
    public static final String ONNX_FILE = "model.onnx";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A sentence encoder the model's dense input comes from. */
    public record EncoderRef(String name, int dimension) {
    }

    /**
     * Cross-validated quality on the training data (out-of-fold predictions), at {@code threshold}.
     *
     * @param folds            folds used (0: too few examples to hold any out)
     * @param accuracy         all held-out examples, out-of-scope ones counted right when rejected
     * @param inScopeAccuracy  held-out in-scope examples given the right intent (and not rejected)
     * @param oosRecall        held-out out-of-scope examples rejected (NaN when the data has none)
     * @param oosPrecision     rejected held-out examples that were out of scope (NaN when the data has none)
     * @param unseenIntentRejection with no out-of-scope examples: share of examples of held-out intents (never
     *                         seen by the model that judged them) rejected at the threshold (NaN otherwise)
     * @param trainSeconds     wall time of the whole training, folds included, without encoding
     */
    public record Metrics(int folds, double accuracy, double inScopeAccuracy, double oosRecall, double oosPrecision,
                          double unseenIntentRejection, double trainSeconds) {
    }

    public int dimension() {
        int d = 0;
        for (EncoderRef e : encoders) {
            d += e.dimension();
        }
        return d;
    }

    void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    static IntentModelInfo read(Path file) {
        try {
            IntentModelInfo info = JSON.readValue(file.toFile(), IntentModelInfo.class);
            if (info.format() != FORMAT) {
                throw new NluException(NluException.Code.MODEL, file + ": unsupported model format " + info.format());
            }
            return info;
        } catch (IOException e) {
            throw new NluException(NluException.Code.MODEL, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
