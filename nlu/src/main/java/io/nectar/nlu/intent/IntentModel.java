package io.nectar.nlu.intent;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.nectar.nlu.NluException;
import io.nectar.nlu.encoder.Offline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trained intent model served from its files through DJL's OnnxRuntime engine: {@code model.onnx} (the
 * head), {@code model.json} ({@link IntentModelInfo}) and {@code lexicon.txt}. Thread-safe; each call runs
 * the ONNX head once (tens of microseconds). A head is small (its weights are the labels × features
 * floats), so thousands can be loaded beside one shared sentence encoder.
 * <p>
 * {@link #close} is safe while other threads classify: the ONNX session is released when the last running
 * call finishes, and calls that start after close fail with {@link NluException.Code#CLOSED}. That is what
 * lets {@link IntentModelRegistry} swap models under traffic.
 */
public final class IntentModel implements IntentClassifier, AutoCloseable {

    static {
        Offline.ensure();
    }

    private final Path dir;
    private final IntentModelInfo info;
    private final LexicalFeatures lexicon;
    private final Model model;
    private final ConcurrentLinkedQueue<Predictor<HeadInput, float[][]>> predictors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private IntentModel(Path dir, IntentModelInfo info, LexicalFeatures lexicon, Model model) {
        this.dir = dir;
        this.info = info;
        this.lexicon = lexicon;
        this.model = model;
    }

    /** Loads a model directory. Blocking file work (milliseconds for a merchant-sized head). */
    public static IntentModel load(Path dir) {
        IntentModelInfo info = IntentModelInfo.read(dir.resolve(IntentModelInfo.FILE));
        LexicalFeatures lexicon = info.lexicalFeatures() > 0 ? LexicalFeatures.read(dir.resolve(LexicalFeatures.FILE))
                : LexicalFeatures.none();
        if (lexicon.size() != info.lexicalFeatures()) {
            throw new NluException(NluException.Code.MODEL, dir + ": lexicon has " + lexicon.size()
                    + " features, model.json says " + info.lexicalFeatures());
        }
        Model model = Model.newInstance("intent-head", Device.cpu(), "OnnxRuntime");
        try (InputStream in = Files.newInputStream(dir.resolve(IntentModelInfo.ONNX_FILE))) {
            model.load(in, Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new NluException(NluException.Code.MODEL, "cannot load " + dir.resolve(IntentModelInfo.ONNX_FILE)
                    + ": " + e.getMessage(), e);
        }
        return new IntentModel(dir, info, lexicon, model);
    }

    public Path directory() {
        return dir;
    }

    /** The held-out readings saved with the model (empty for a model saved without them). Blocking file work. */
    public java.util.List<AnswerCalibration.Reading> heldOut() {
        return AnswerCalibration.read(dir.resolve(AnswerCalibration.FILE));
    }

    @Override
    public IntentModelInfo info() {
        return info;
    }

    @Override
    public IntentResult classify(Map<String, float[]> vectors, String text) {
        float[] dense = info.encoders().isEmpty() ? new float[0] : IntentTrainer.concat(vectors, info.encoders());
        return IntentResult.decide(probabilities(dense, text), info.labels(), info.threshold());
    }

    /** Class probabilities, in {@code info().labels()} order, from the ONNX head. */
    public float[] probabilities(float[] dense, String text) {
        if (dense.length != info.dimension()) {
            throw new NluException(NluException.Code.BAD_REQUEST, "dense input of length " + dense.length
                    + ", model expects " + info.dimension());
        }
        if (!retain()) {
            throw new NluException(NluException.Code.CLOSED, "intent model " + dir + " is closed");
        }
        try {
            Predictor<HeadInput, float[][]> p = predictors.poll();
            if (p == null) {
                p = model.newPredictor(new HeadTranslator(info.dimension() > 0, lexicon.size() > 0));
            }
            try {
                float[][] out = p.predict(new HeadInput(dense, lexicon.transform(text)));
                predictors.offer(p);
                return out[0];
            } catch (Exception e) {
                p.close();
                throw new NluException(NluException.Code.MODEL, "intent head failed: " + e.getMessage(), e);
            }
        } finally {
            release();
        }
    }

    private boolean retain() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    private void release() {
        if (refs.decrementAndGet() == 0) {
            Predictor<HeadInput, float[][]> p;
            while ((p = predictors.poll()) != null) {
                p.close();
            }
            model.close();
        }
    }

    /** Releases the ONNX session once no call is running. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    private record HeadInput(float[] dense, SparseVector lex) {
    }

    private static final class HeadTranslator implements NoBatchifyTranslator<HeadInput, float[][]> {
        private final boolean dense;
        private final boolean lexical;

        HeadTranslator(boolean dense, boolean lexical) {
            this.dense = dense;
            this.lexical = lexical;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, HeadInput input) {
            NDManager manager = ctx.getNDManager();
            NDList list = new NDList();
            if (dense) {
                NDArray d = manager.create(input.dense(), new Shape(1, input.dense().length));
                d.setName(OnnxHeadWriter.INPUT_DENSE);
                list.add(d);
            }
            if (lexical) {
                int k = Math.max(1, input.lex().size());   // pad with id 0, value 0: contributes nothing
                long[] ids = new long[k];
                float[] values = new float[k];
                for (int i = 0; i < input.lex().size(); i++) {
                    ids[i] = input.lex().ids()[i];
                    values[i] = input.lex().values()[i];
                }
                NDArray idArray = manager.create(ids, new Shape(1, k));
                idArray.setName(OnnxHeadWriter.INPUT_LEX_IDS);
                NDArray valueArray = manager.create(values, new Shape(1, k));
                valueArray.setName(OnnxHeadWriter.INPUT_LEX_VALUES);
                list.add(idArray);
                list.add(valueArray);
            }
            return list;
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList output) {
            NDArray probs = output.get(0);
            int rows = (int) probs.getShape().get(0);
            int cols = (int) probs.getShape().get(1);
            float[] flat = probs.toFloatArray();
            float[][] out = new float[rows][cols];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(flat, r * cols, out[r], 0, cols);
            }
            return out;
        }
    }
}
