package io.nectar.nlu.eval;

import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoresTest {

    private static IntentResult result(String intent, double confidence, double oos) {
        return new IntentResult(intent, confidence, false, List.of(new IntentResult.Scored(intent, confidence)), oos);
    }

    @Test
    void eachThresholdScoresAcceptedRightAnswersAndRejectedOutOfScopeQuestions() {
        List<IntentExample> test = List.of(
                new IntentExample("a", "pay", "en"),                       // right, sure
                new IntentExample("b", "pay", "en"),                       // right, unsure: margin 0.32 over oos, lost from 0.35 up
                new IntentExample("c", "ship", "en"),                      // wrong at any threshold
                new IntentExample("d", IntentExample.OUT_OF_SCOPE, "en"),  // margin 0.47: rejected from 0.50 up
                new IntentExample("e", IntentExample.OUT_OF_SCOPE, "en")); // the background class wins: always rejected
        List<IntentResult> results = List.of(
                result("pay", 0.95, 0.01),
                result("pay", 0.42, 0.10),
                result("pay", 0.90, 0.02),
                result("ship", 0.52, 0.05),
                result("ship", 0.80, 0.85));
        String s = Scores.sweep(test, results);
        assertTrue(s.contains(" 0.30: 0.6667/0.500"), s);
        assertTrue(s.contains(" 0.35: 0.3333/0.500"), s);
        assertTrue(s.contains(" 0.45: 0.3333/0.500"), s);
        assertTrue(s.contains(" 0.50: 0.3333/1.000"), s);
        assertTrue(s.contains(" 0.90: 0.3333/1.000"), s);
    }
}
