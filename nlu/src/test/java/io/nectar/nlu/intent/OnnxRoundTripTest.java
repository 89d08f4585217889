package io.nectar.nlu.intent;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.nectar.nlu.exec.EncoderExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trained head written as ONNX and loaded back gives the same predictions. */
class OnnxRoundTripTest {

    private static EncoderExecutor executor;

    @BeforeAll
    static void start() {
        executor = Fixtures.executor();
    }

    @AfterAll
    static void stop() {
        executor.close();
        for (String name : executor.encoderNames()) {
            executor.encoder(name).close();
        }
    }

    private static final List<String> PROBES = List.of("when will you send my shoes", "can I pay with paypal",
            "what's the weather in Paris", "I need a receipt", "do these sneakers run large", "refund please", "zzzz");

    @Test
    void savedModelPredictsExactlyAsTrained(@TempDir Path tmp) throws Exception {
        TrainedIntentModel trained = IntentTrainer.train(Fixtures.examples("intents-en.jsonl"), executor,
                List.of("minilm-l6"), Fixtures.options());
        Path dir = tmp.resolve("v1");
        trained.save(dir);
        assertTrue(Files.size(dir.resolve("model.onnx")) > 1000);
        assertTrue(Files.exists(dir.resolve("model.json")));
        assertTrue(Files.exists(dir.resolve("lexicon.txt")));
        try (IntentModel served = IntentModel.load(dir)) {
            assertEquals(trained.info(), served.info());
            for (String text : PROBES) {
                Map<String, float[]> v = Fixtures.vectors(executor, "minilm-l6", text);
                float[] dense = v.get("minilm-l6");
                assertArrayEquals(trained.probabilities(dense, text), served.probabilities(dense, text), 1e-5f, text);
                IntentResult before = trained.classify(v, text);
                IntentResult after = served.classify(v, text);
                assertEquals(before.intent(), after.intent());
                assertEquals(before.outOfScope(), after.outOfScope());
                assertEquals(before.confidence(), after.confidence(), 1e-5);
                assertEquals(before.ranked().stream().map(IntentResult.Scored::intent).toList(),
                        after.ranked().stream().map(IntentResult.Scored::intent).toList());
            }
        }
    }

    @Test
    void theFileIsPlainOnnxThatOnnxRuntimeRunsDirectly(@TempDir Path tmp) throws Exception {
        TrainedIntentModel trained = IntentTrainer.train(Fixtures.examples("intents-zh.jsonl"), executor,
                List.of("bge-small-zh"), Fixtures.options());
        trained.save(tmp.resolve("m"));
        String text = "可以用支付宝付款吗";
        float[] dense = executor.encode("bge-small-zh", text).join();
        SparseVector lex = LexicalFeatures.read(tmp.resolve("m/lexicon.txt")).transform(text);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(tmp.resolve("m/model.onnx").toString(), new OrtSession.SessionOptions());
             OnnxTensor d = OnnxTensor.createTensor(env, new float[][]{dense});
             OnnxTensor ids = OnnxTensor.createTensor(env, new long[][]{java.util.Arrays.stream(lex.ids()).asLongStream().toArray()});
             OnnxTensor vals = OnnxTensor.createTensor(env, new float[][]{lex.values()})) {
            assertEquals(java.util.Set.of("dense", "lex_ids", "lex_values"), session.getInputNames());
            try (OrtSession.Result r = session.run(Map.of("dense", d, "lex_ids", ids, "lex_values", vals))) {
                float[] probs = ((float[][]) r.get(0).getValue())[0];
                assertArrayEquals(trained.probabilities(dense, text), probs, 1e-5f);
                int best = 0;
                for (int k = 1; k < probs.length; k++) {
                    if (probs[k] > probs[best]) {
                        best = k;
                    }
                }
                assertEquals("payment", trained.info().labels().get(best));
            }
        }
    }

    @Test
    void aLexicalOnlyHeadRoundTripsToo(@TempDir Path tmp) {
        List<IntentExample> data = Fixtures.examples("intents-en.jsonl");
        TrainedIntentModel trained = IntentTrainer.train(data, List.of(), new float[data.size()][0], Fixtures.options());
        trained.save(tmp.resolve("lex"));
        try (IntentModel served = IntentModel.load(tmp.resolve("lex"))) {
            for (String text : PROBES) {
                assertArrayEquals(trained.probabilities(new float[0], text), served.probabilities(new float[0], text), 1e-5f);
            }
        }
    }

    @Test
    void modelsAreNeverOverwrittenAndBrokenFilesFailClearly(@TempDir Path tmp) throws Exception {
        List<IntentExample> data = Fixtures.examples("intents-en.jsonl");
        TrainedIntentModel trained = IntentTrainer.train(data, List.of(), new float[data.size()][0], Fixtures.options());
        Path dir = tmp.resolve("m");
        trained.save(dir);
        assertThrows(io.nectar.nlu.NluException.class, () -> trained.save(dir));
        Files.write(dir.resolve("model.onnx"), new byte[]{1, 2, 3});
        io.nectar.nlu.NluException e = assertThrows(io.nectar.nlu.NluException.class, () -> IntentModel.load(dir));
        assertEquals(io.nectar.nlu.NluException.Code.MODEL, e.code());
    }
}
