package io.nectar.nlu.intent;

import io.nectar.nlu.exec.EncoderExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Questions the merchant never taught are answered "not sure" instead of being misfiled. */
class ThresholdRejectionTest {

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

    private static final List<String> UNRELATED = List.of("what is the population of brazil",
            "how do I change a car tyre", "recommend a good movie for tonight", "what's 17 times 23",
            "who wrote hamlet", "how do I reset my wifi router", "translate hello into german",
            "is it going to snow this weekend");

    private static final List<String> IN_SCOPE = List.of("how long before my order ships", "can I return these",
            "do you take visa", "where's my package", "what size am I", "send me an invoice please");

    @Test
    void thresholdFromOutOfScopeExamplesRejectsUnrelatedQuestions() {
        List<IntentExample> data = new ArrayList<>(Fixtures.examples("intents-en.jsonl"));
        for (String t : List.of("what's the weather like tomorrow", "tell me a joke", "who won the football game",
                "how do I bake bread", "what is the capital of france", "play some music", "set an alarm for 7am",
                "how tall is mount everest", "what time is it in tokyo", "book me a flight to rome")) {
            data.add(new IntentExample(t, IntentExample.OUT_OF_SCOPE, "en"));
        }
        TrainedIntentModel model = IntentTrainer.train(data, executor, List.of("minilm-l6"), Fixtures.options());
        assertTrue(model.info().labels().contains(IntentExample.OUT_OF_SCOPE));
        assertTrue(model.info().metrics().oosRecall() > 0.5, "held-out oos recall " + model.info().metrics().oosRecall());
        int rejected = 0;
        for (String t : UNRELATED) {
            IntentResult r = model.classify(Fixtures.vectors(executor, "minilm-l6", t), t);
            if (r.outOfScope()) {
                rejected++;
                assertEquals(IntentExample.OUT_OF_SCOPE, r.decision());
            }
            assertFalse(r.intent().equals(IntentExample.OUT_OF_SCOPE), "the oos class is never offered as an intent");
        }
        int accepted = 0;
        for (String t : IN_SCOPE) {
            if (!model.classify(Fixtures.vectors(executor, "minilm-l6", t), t).outOfScope()) {
                accepted++;
            }
        }
        assertTrue(rejected >= 6, rejected + " of " + UNRELATED.size() + " unrelated questions rejected");
        assertTrue(accepted >= 5, accepted + " of " + IN_SCOPE.size() + " in-scope questions accepted");
    }

    @Test
    void withoutOutOfScopeExamplesTheThresholdStillRejectsMostUnrelatedQuestions() {
        TrainedIntentModel model = IntentTrainer.train(Fixtures.examples("intents-en.jsonl"), executor,
                List.of("minilm-l6"), Fixtures.options());
        // calibrated by holding out whole intents (the figure is recorded in model.json)
        double unseen = model.info().metrics().unseenIntentRejection();
        assertTrue(unseen > 0 && unseen <= 1, "held-out intents rejected: " + unseen);
        int rejected = 0;
        for (String t : UNRELATED) {
            if (model.classify(Fixtures.vectors(executor, "minilm-l6", t), t).outOfScope()) {
                rejected++;
            }
        }
        int accepted = 0;
        for (String t : IN_SCOPE) {
            if (!model.classify(Fixtures.vectors(executor, "minilm-l6", t), t).outOfScope()) {
                accepted++;
            }
        }
        assertTrue(rejected >= 5, rejected + " of " + UNRELATED.size() + " unrelated questions rejected");
        assertTrue(accepted >= 4, accepted + " of " + IN_SCOPE.size() + " in-scope questions accepted");
    }

    @Test
    void decisionRuleUsesThresholdAndOutOfScopeClass() {
        List<String> labels = List.of("a", "b", IntentExample.OUT_OF_SCOPE);
        IntentResult sure = IntentResult.decide(new float[]{0.9f, 0.05f, 0.05f}, labels, 0.5);
        assertFalse(sure.outOfScope());
        assertEquals("a", sure.decision());
        IntentResult unsure = IntentResult.decide(new float[]{0.45f, 0.40f, 0.15f}, labels, 0.5);
        assertTrue(unsure.outOfScope());
        assertEquals("a", unsure.intent());
        IntentResult oosWins = IntentResult.decide(new float[]{0.3f, 0.1f, 0.6f}, labels, 0.2);
        assertTrue(oosWins.outOfScope());
        assertEquals(2, oosWins.ranked().size());
        // probable enough on its own, but not far enough above the out-of-scope class (decision 107)
        IntentResult close = IntentResult.decide(new float[]{0.55f, 0.05f, 0.40f}, labels, 0.5);
        assertEquals(0.15, close.margin(), 1e-6);
        assertTrue(close.outOfScope());
        IntentResult clear = IntentResult.decide(new float[]{0.55f, 0.40f, 0.05f}, labels, 0.5);
        assertFalse(clear.outOfScope(), "a rival intent does not count against the margin");
    }

    @Test
    void withoutAnOutOfScopeClassTheMarginIsTheProbability() {
        IntentResult r = IntentResult.decide(new float[]{0.6f, 0.4f}, List.of("a", "b"), 0.5);
        assertEquals(0.6, r.margin(), 1e-6);
        assertFalse(r.outOfScope());
        assertTrue(IntentResult.decide(new float[]{0.6f, 0.4f}, List.of("a", "b"), 0.65).outOfScope());
    }

    @Test
    void chosenThresholdSeparatesHeldOutOutOfScopeFromInScope() {
        // two in-scope classes and oos; confident right answers vs unsure oos examples
        List<String> labels = List.of("a", "b", IntentExample.OUT_OF_SCOPE);
        float[][] probs = {
                {0.9f, 0.05f, 0.05f}, {0.8f, 0.1f, 0.1f}, {0.1f, 0.85f, 0.05f}, {0.2f, 0.7f, 0.1f},
                {0.5f, 0.3f, 0.2f}, {0.45f, 0.35f, 0.2f}};
        int[] y = {0, 0, 1, 1, 2, 2};
        double t = FoldCalibration.chooseThreshold(probs, y, labels, 2, 0.95, 1.0);
        // margins over the oos class: in scope 0.85, 0.7, 0.8, 0.6; out of scope 0.3, 0.25
        assertTrue(t > 0.3 && t <= 0.6, "threshold " + t);
    }
}
