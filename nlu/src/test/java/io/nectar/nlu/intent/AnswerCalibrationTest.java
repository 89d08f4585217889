package io.nectar.nlu.intent;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerCalibrationTest {

    private static AnswerCalibration.Reading reading(int i, String gold, String predicted, double p, double oos) {
        return new AnswerCalibration.Reading(i, gold, predicted, p, oos);
    }

    @Test
    void aReadingIsAnsweredOnItsProbabilityUnlessTheOutOfScopeClassWins() {
        AnswerCalibration.Reading r = reading(0, "a", "a", 0.6, 0.3);
        assertTrue(r.answered(0.6));
        assertFalse(r.answered(0.61));
        assertFalse(reading(1, "a", "a", 0.4, 0.5).answered(0), "the out-of-scope class wins");
    }

    @Test
    void calibrationChoosesTheLowestThresholdThatReachesTheAimedAtPrecision() {
        List<AnswerCalibration.Reading> rs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rs.add(reading(i, "a", "a", 0.92, 0.02));
        }
        rs.add(reading(10, "a", "b", 0.55, 0.05));                              // wrong readings
        rs.add(reading(11, "b", "a", 0.55, 0.05));
        rs.add(reading(12, IntentExample.OUT_OF_SCOPE, "a", 0.60, 0.35));      // out of scope, answered below 0.6
        rs.add(reading(13, IntentExample.OUT_OF_SCOPE, "b", 0.60, 0.35));
        // precision 0.9 aims at 1 - 0.3 × 0.1 = 0.97 held out: only the right readings may be answered
        AnswerCalibration.Result r = AnswerCalibration.calibrate(rs, 0.9);
        assertTrue(r.reachable());
        assertEquals(0.92, r.threshold(), 1e-6);
        assertEquals(10 / 12.0, r.rightShare(), 1e-9);
        assertEquals(1.0, r.fallbackShare(), 1e-9);
        assertEquals(1.0, r.heldOutPrecision(), 1e-9);
        assertEquals(1.0, r.outOfScopeOdds(), "no looser veto answers more: the out-of-scope class vetoes at even odds");
        // at 0.6 the wrong readings go to the fallback and the out-of-scope ones are answered; out-of-scope
        // readings weigh as a fifth of traffic: 2 of them count as 0.25 × 12 / 2 each
        AnswerCalibration.Result at = AnswerCalibration.at(rs, 0.9, 0.6);
        assertEquals(0.0, at.fallbackShare(), 1e-9);
        assertEquals(10 / (10 + 2 * 1.5), at.heldOutPrecision(), 1e-9);
        assertEquals(10 / (12 + 2 * 1.5), AnswerCalibration.at(rs, 0.9, 0).heldOutPrecision(), 1e-9);
    }

    @Test
    void aLooserOutOfScopeVetoIsChosenWhenItsThresholdAnswersMoreAtThePrecision() {
        List<AnswerCalibration.Reading> rs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rs.add(reading(i, "a", "a", 0.9, 0.02));
        }
        for (int i = 10; i < 14; i++) {
            rs.add(reading(i, "b", "b", 0.45, 0.5));                            // right, but background-like
        }
        rs.add(reading(14, IntentExample.OUT_OF_SCOPE, "a", 0.3, 0.6));
        rs.add(reading(15, IntentExample.OUT_OF_SCOPE, "b", 0.3, 0.6));
        // at even odds the four right "b" readings are vetoed; at 2× they pass, and a threshold of 0.45
        // keeps the out-of-scope readings out (0.3 < 0.45)
        assertEquals(10 / 14.0, AnswerCalibration.at(rs, 0.9, 0).rightShare(), 1e-9);
        AnswerCalibration.Result r = AnswerCalibration.calibrate(rs, 0.9);
        assertTrue(r.reachable());
        assertEquals(2.0, r.outOfScopeOdds(), "the first of the equally good looser vetoes");
        assertEquals(0.45, r.threshold(), 1e-9);
        assertEquals(1.0, r.rightShare(), 1e-9);
        assertEquals(1.0, r.fallbackShare(), 1e-9);
        assertTrue(r.answers(0.45, 0.9));
        assertFalse(r.answers(0.45, 0.91), "vetoed past 2×");
        assertFalse(r.answers(0.44, 0), "under the threshold");
    }

    @Test
    void anUnreachablePrecisionSaysSoAndKeepsTheMostPreciseThreshold() {
        // the surest reading is wrong: no threshold answers anything right without it
        List<AnswerCalibration.Reading> rs = List.of(reading(0, "b", "a", 0.6, 0), reading(1, "a", "a", 0.8, 0),
                reading(2, "a", "a", 0.9, 0), reading(3, "b", "a", 0.95, 0));
        AnswerCalibration.Result r = AnswerCalibration.calibrate(rs, 0.95);
        assertFalse(r.reachable());
        assertEquals(2 / 3.0, r.heldOutPrecision(), 1e-9);
        assertEquals(0.8, r.threshold(), 1e-9);
    }

    @Test
    void readingsSurviveTheirFile() throws Exception {
        Path dir = Files.createTempDirectory("calibration");
        Path f = dir.resolve(AnswerCalibration.FILE);
        List<AnswerCalibration.Reading> rs = List.of(reading(0, "a", "a", 0.75, 0.125), reading(1, "oos", "b", 0.5, 0.25));
        AnswerCalibration.write(rs, f);
        assertEquals(rs, AnswerCalibration.read(f));
        assertEquals(List.of(), AnswerCalibration.read(dir.resolve("absent.tsv")));
    }
}
