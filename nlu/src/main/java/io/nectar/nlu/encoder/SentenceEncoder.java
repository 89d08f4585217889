package io.nectar.nlu.encoder;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import io.nectar.nlu.NluException;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded ONNX sentence encoder: the model and its tokenizer, shared by every thread. Each inference
 * thread opens its own {@link Session} (a DJL {@code Predictor} is not thread-safe); the
 * {@link io.nectar.nlu.exec.EncoderExecutor} does this for its workers.
 * <p>
 * Loading reads the model from its resource (classpath or file) and never touches the network: DJL's
 * offline mode is switched on before the engine starts.
 */
public final class SentenceEncoder implements AutoCloseable {

    static {
        Offline.ensure();
    }

    private final EncoderSpec spec;
    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final Set<String> inputNames;
    private final int dimension;

    private SentenceEncoder(EncoderSpec spec, Model model, HuggingFaceTokenizer tokenizer) {
        this.spec = spec;
        this.model = model;
        this.tokenizer = tokenizer;
        this.inputNames = new HashSet<>(model.describeInput().keys());
        try (Session s = newSession()) {
            this.dimension = s.encode(List.of("dimension probe"))[0].length;
        }
    }

    /**
     * Loads an encoder. Blocking (0.5 s for a small model): call it from a worker or start-up thread.
     *
     * @param intraOpThreads ONNX Runtime threads per inference call; keep workers × this ≤ cores
     */
    public static SentenceEncoder load(EncoderSpec spec, int intraOpThreads) {
        Map<String, String> tokOptions = new HashMap<>();
        tokOptions.put("addSpecialTokens", "true");
        tokOptions.put("truncation", "true");
        tokOptions.put("padding", "false");
        tokOptions.put("maxLength", Integer.toString(spec.maxLength()));
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = spec.tokenizer().open()) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, tokOptions);
        } catch (IOException | RuntimeException e) {
            throw new NluException(NluException.Code.MODEL, "cannot load tokenizer " + spec.tokenizer() + ": " + e.getMessage(), e);
        }
        Model model = Model.newInstance(spec.name(), Device.cpu(), "OnnxRuntime");
        Map<String, Object> options = new HashMap<>();
        options.put("intraOpNumThreads", Integer.toString(intraOpThreads));
        options.put("interOpNumThreads", "1");
        try (InputStream in = spec.model().open()) {
            model.load(in, options);
            return new SentenceEncoder(spec, model, tokenizer);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            tokenizer.close();
            throw new NluException(NluException.Code.MODEL, "cannot load model " + spec.model() + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return spec.name();
    }

    public EncoderSpec spec() {
        return spec;
    }

    /** Length of the vectors this encoder produces. */
    public int dimension() {
        return dimension;
    }

    /** Opens a session for the calling thread. Close it when the thread is done. */
    public Session newSession() {
        return new Session(model.newPredictor(new EmbeddingTranslator(tokenizer, spec.pooling(), spec.lowerCase(), spec.prefix(), inputNames)));
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }

    /** One thread's handle on the encoder. Not thread-safe. */
    public static final class Session implements AutoCloseable {
        private final Predictor<String[], float[][]> predictor;

        private Session(Predictor<String[], float[][]> predictor) {
            this.predictor = predictor;
        }

        /** Encodes the texts as one ONNX batch; returns one unit vector per text, in order. Blocking. */
        public float[][] encode(List<String> texts) {
            if (texts.isEmpty()) {
                return new float[0][];
            }
            try {
                return predictor.predict(texts.toArray(new String[0]));
            } catch (Exception e) {
                throw new NluException(NluException.Code.MODEL, "encoder failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            predictor.close();
        }
    }
}
