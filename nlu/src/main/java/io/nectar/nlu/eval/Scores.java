package io.nectar.nlu.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentResult;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How {@link NluEval} scores a test set: confusion counts, and what other thresholds would have given. */
final class Scores {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Scores() {
    }

    /**
     * In-scope accuracy and out-of-scope recall of the test set at other thresholds than the one the training
     * folds chose: a report of what the head's confidences allow, never a way to choose the threshold.
     */
    static String sweep(List<IntentExample> test, List<IntentResult> results) {
        StringBuilder sb = new StringBuilder("other thresholds on this test set (reported, not chosen here):");
        for (int k = 30; k <= 90; k += 5) {
            double t = k / 100.0;
            int in = 0, inRight = 0, oos = 0, oosRejected = 0;
            for (int i = 0; i < test.size(); i++) {
                IntentResult r = results.get(i);
                boolean reject = r.margin() < t || r.outOfScopeWins();
                if (test.get(i).outOfScope()) {
                    oos++;
                    oosRejected += reject ? 1 : 0;
                } else {
                    in++;
                    inRight += !reject && r.intent().equals(test.get(i).intent()) ? 1 : 0;
                }
            }
            sb.append(String.format(" %.2f: %.4f/%.3f", t, in == 0 ? Double.NaN : (double) inRight / in,
                    oos == 0 ? Double.NaN : (double) oosRejected / oos));
        }
        return sb.toString();
    }

    /** Confusion counts: accuracy, macro-F1 over the gold labels, in-scope accuracy, out-of-scope precision/recall. */
    static final class Counts {
        int n;
        int right;
        int inScope;
        int inScopeRight;
        int oosGold;
        int oosPredicted;
        int oosBoth;
        final Map<String, int[]> perLabel = new TreeMap<>(); // tp, fp, fn

        void add(String gold, String predicted) {
            n++;
            boolean goldOos = IntentExample.OUT_OF_SCOPE.equals(gold);
            boolean predOos = IntentExample.OUT_OF_SCOPE.equals(predicted);
            if (gold.equals(predicted)) {
                right++;
                perLabel.computeIfAbsent(gold, k -> new int[3])[0]++;
            } else {
                perLabel.computeIfAbsent(predicted, k -> new int[3])[1]++;
                perLabel.computeIfAbsent(gold, k -> new int[3])[2]++;
            }
            if (goldOos) {
                oosGold++;
            } else {
                inScope++;
                if (gold.equals(predicted)) {
                    inScopeRight++;
                }
            }
            if (predOos) {
                oosPredicted++;
                if (goldOos) {
                    oosBoth++;
                }
            }
        }

        double accuracy() {
            return n == 0 ? Double.NaN : (double) right / n;
        }

        double inScopeAccuracy() {
            return inScope == 0 ? Double.NaN : (double) inScopeRight / inScope;
        }

        double oosRecall() {
            return oosGold == 0 ? Double.NaN : (double) oosBoth / oosGold;
        }

        double oosPrecision() {
            return oosGold == 0 ? Double.NaN : oosPredicted == 0 ? 0 : (double) oosBoth / oosPredicted;
        }

        double macroF1() {
            double sum = 0;
            int labels = 0;
            for (int[] c : perLabel.values()) {
                if (c[0] + c[2] == 0) {
                    continue; // predicted but never gold: counts only through others' recall
                }
                labels++;
                double p = c[0] + c[1] == 0 ? 0 : (double) c[0] / (c[0] + c[1]);
                double r = (double) c[0] / (c[0] + c[2]);
                sum += p + r == 0 ? 0 : 2 * p * r / (p + r);
            }
            return labels == 0 ? Double.NaN : sum / labels;
        }

        ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("examples", n);
            put(o, "accuracy", accuracy());
            put(o, "macro_f1", macroF1());
            put(o, "in_scope_accuracy", inScopeAccuracy());
            put(o, "oos_precision", oosPrecision());
            put(o, "oos_recall", oosRecall());
            return o;
        }

        private static void put(ObjectNode o, String key, double v) {
            if (Double.isNaN(v)) {
                o.putNull(key);
            } else {
                o.put(key, round(v));
            }
        }
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10000) / 10000.0;
    }
}
