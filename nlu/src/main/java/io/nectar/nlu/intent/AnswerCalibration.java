package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * How sure an intent model must be before its reading is answered, for a promised precision (the share of
 * answers that are right), and what that leaves: chosen on the model's held-out readings, the out-of-fold
 * predictions of its own training examples (in-scope phrasings, and out-of-scope ones such as a bundled
 * background set). Plain arithmetic, no I/O beyond {@link #write}/{@link #read}; used by the gateway when it
 * installs a head and by the store check (docs/decisions.md 48).
 * <p>
 * An answer is given when the model's top intent has probability at least the threshold and the
 * out-of-scope class's probability is not more than {@code outOfScopeOdds} times it. Both are chosen
 * together: of the odds in {@link #OUT_OF_SCOPE_ODDS}, each with the lowest threshold that reaches the aimed-at
 * precision, the pair that answers most held-out phrasings right (decision 116: a veto at even odds sent
 * in-scope questions the background class half-matched to the fallback even where a threshold on the
 * probability alone was as precise). (The model's own threshold applies to the margin over the
 * out-of-scope class instead, decision 107; for a promised precision, gating on that margin answered fewer
 * held-out training questions right at the same precision, 0.820 against 0.838 with `ops/faq-eval --tune
 * --answer-precision 0.95`, so the probability stays here.) Held-out precision is weighted as if {@link #OUT_OF_SCOPE_SHARE} of
 * the traffic were out of scope. Held-out phrasings of a store are easier than real questions (written by the
 * same person as the phrasings the model learned), so the threshold is chosen for a stricter precision:
 * the error rate aimed at is {@link #MARGIN} × the promised one. MARGIN was chosen on CLINC150 training
 * data only: a 150-entry store of 11 phrasings each (with the background class), asked its next 20
 * training utterances per intent; at 0.6 they were answered with precision 0.933, at 0.4 with 0.946, at
 * 0.3 with 0.958 (promised: 0.95).
 */
public final class AnswerCalibration {

    /** Share of out-of-scope questions assumed in traffic when weighing held-out readings. */
    public static final double OUT_OF_SCOPE_SHARE = 0.2;
    /** Held-out error rate aimed at, relative to the promised one. */
    public static final double MARGIN = 0.3;
    /**
     * How many times the top reading's probability the out-of-scope class's must exceed to veto an answer,
     * tried in this order (the first of equals is kept: the stricter veto); infinity for no veto beside the
     * threshold.
     */
    static final double[] OUT_OF_SCOPE_ODDS = {1, 2, 4, 8, 16, 32, Double.POSITIVE_INFINITY};
    /** File of a model directory holding its held-out readings. */
    public static final String FILE = "heldout.tsv";

    private AnswerCalibration() {
    }

    /**
     * One held-out reading: how a model that never saw training example {@code example} read it.
     *
     * @param example     index of the training example
     * @param gold        its label ({@value IntentExample#OUT_OF_SCOPE} for out-of-scope examples)
     * @param predicted   the model's top in-scope intent
     * @param confidence  that intent's calibrated probability
     * @param outOfScope  the out-of-scope class's probability (0 without one)
     */
    public record Reading(int example, String gold, String predicted, double confidence, double outOfScope) {
        public boolean goldOutOfScope() {
            return IntentExample.OUT_OF_SCOPE.equals(gold);
        }

        public boolean right() {
            return predicted.equals(gold);
        }

        /** Answered at {@code threshold} with the out-of-scope class vetoing at even odds. */
        public boolean answered(double threshold) {
            return answered(threshold, 1);
        }

        public boolean answered(double threshold, double outOfScopeOdds) {
            return AnswerCalibration.answers(confidence, outOfScope, threshold, outOfScopeOdds);
        }
    }

    /** Whether a reading of probability {@code p} and out-of-scope probability {@code oos} is answered. */
    static boolean answers(double p, double oos, double threshold, double outOfScopeOdds) {
        return p >= threshold && (outOfScopeOdds == Double.POSITIVE_INFINITY || oos <= outOfScopeOdds * p);
    }

    /**
     * The threshold for a promised precision and what it leaves, all on held-out readings.
     *
     * @param precision          the promised precision
     * @param threshold          the lowest probability answered
     * @param reachable          false when no threshold reaches the aimed-at precision (the threshold is then
     *                           the most precise one found: add phrasings, merge confusable entries)
     * @param rightShare         held-out in-scope phrasings answered with the right entry (the coverage)
     * @param answeredShare      held-out in-scope phrasings answered at all
     * @param fallbackShare      held-out out-of-scope phrasings sent to the fallback (NaN without any)
     * @param heldOutPrecision   weighted precision of the held-out answers at the threshold
     * @param outOfScopeOdds     how many times the top reading's probability the out-of-scope class's must exceed
     *                           to veto the answer (infinity: no veto beside the threshold)
     * @param inScope            held-out in-scope readings
     * @param outOfScope         held-out out-of-scope readings
     */
    public record Result(double precision, double threshold, boolean reachable, double rightShare, double answeredShare,
                         double fallbackShare, double heldOutPrecision, int inScope, int outOfScope, double outOfScopeOdds) {
        public String summary() {
            return String.format(Locale.ROOT, "precision %.2f%s: threshold %.3f, out-of-scope veto %s, held-out phrasings answered right %.3f"
                            + " (answered %.3f), out-of-scope to fallback %s, held-out precision %.3f",
                    precision, reachable ? "" : " (not reachable)", threshold,
                    outOfScopeOdds == Double.POSITIVE_INFINITY ? "none" : String.format(Locale.ROOT, "at %.0f×", outOfScopeOdds),
                    rightShare, answeredShare,
                    Double.isNaN(fallbackShare) ? "n/a" : String.format(Locale.ROOT, "%.3f", fallbackShare), heldOutPrecision);
        }

        /** Whether a reading of probability {@code p}, out-of-scope probability {@code oos}, is answered. */
        public boolean answers(double p, double oos) {
            return AnswerCalibration.answers(p, oos, threshold, outOfScopeOdds);
        }
    }

    /**
     * Of each out-of-scope veto's lowest threshold whose weighted held-out precision reaches
     * {@code 1 - MARGIN × (1 - precision)}, the one that answers most held-out phrasings right.
     */
    public static Result calibrate(List<Reading> readings, double precision) {
        if (!(precision > 0 && precision < 1)) {
            throw new IllegalArgumentException("precision must be in (0, 1), was " + precision);
        }
        int nIn = 0, nOos = 0;
        for (Reading r : readings) {
            if (r.goldOutOfScope()) {
                nOos++;
            } else {
                nIn++;
            }
        }
        if (nIn == 0) {
            return new Result(precision, 0, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, nOos, 1);
        }
        double aim = 1 - MARGIN * (1 - precision);
        double oosWeight = nOos == 0 ? 0 : OUT_OF_SCOPE_SHARE / (1 - OUT_OF_SCOPE_SHARE) * nIn / nOos;
        TreeSet<Double> candidates = new TreeSet<>();
        candidates.add(0.0);
        for (Reading r : readings) {
            candidates.add(r.confidence());
        }
        Result chosen = null;
        for (double odds : OUT_OF_SCOPE_ODDS) {
            for (double t : candidates) {
                Result r = at(readings, precision, t, odds, oosWeight, nIn, nOos, true);
                if (r.heldOutPrecision() >= aim) {
                    if (chosen == null || r.rightShare() > chosen.rightShare()) {
                        chosen = r;
                    }
                    break;
                }
            }
        }
        if (chosen != null) {
            return chosen;
        }
        Result best = null;
        for (double t : candidates) {
            Result r = at(readings, precision, t, 1, oosWeight, nIn, nOos, true);
            if (r.answeredShare() > 0 && (best == null || r.heldOutPrecision() > best.heldOutPrecision())) {
                best = r;
            }
        }
        return best == null ? at(readings, precision, 1.0, 1, oosWeight, nIn, nOos, false)
                : new Result(precision, best.threshold(), false, best.rightShare(), best.answeredShare(),
                best.fallbackShare(), best.heldOutPrecision(), nIn, nOos, 1);
    }

    /** What a given threshold does on held-out readings, the out-of-scope class vetoing at even odds. */
    public static Result at(List<Reading> readings, double precision, double threshold) {
        return at(readings, precision, threshold, 1);
    }

    /** What a given threshold and out-of-scope veto do on held-out readings. */
    public static Result at(List<Reading> readings, double precision, double threshold, double outOfScopeOdds) {
        int nIn = 0, nOos = 0;
        for (Reading r : readings) {
            if (r.goldOutOfScope()) {
                nOos++;
            } else {
                nIn++;
            }
        }
        double oosWeight = nOos == 0 ? 0 : OUT_OF_SCOPE_SHARE / (1 - OUT_OF_SCOPE_SHARE) * Math.max(nIn, 1) / nOos;
        return at(readings, precision, threshold, outOfScopeOdds, oosWeight, nIn, nOos, true);
    }

    private static Result at(List<Reading> readings, double precision, double t, double odds, double oosWeight, int nIn,
                             int nOos, boolean reachable) {
        int answeredIn = 0, rightIn = 0, answeredOos = 0;
        for (Reading r : readings) {
            if (!r.answered(t, odds)) {
                continue;
            }
            if (r.goldOutOfScope()) {
                answeredOos++;
            } else {
                answeredIn++;
                if (r.right()) {
                    rightIn++;
                }
            }
        }
        double answeredWeight = answeredIn + oosWeight * answeredOos;
        double p = answeredWeight == 0 ? 1 : rightIn / answeredWeight;
        return new Result(precision, t, reachable, nIn == 0 ? Double.NaN : (double) rightIn / nIn,
                nIn == 0 ? Double.NaN : (double) answeredIn / nIn,
                nOos == 0 ? Double.NaN : 1 - (double) answeredOos / nOos, p, nIn, nOos, odds);
    }

    /** Writes readings as tab-separated lines: example, gold, predicted, confidence, out-of-scope probability. */
    public static void write(List<Reading> readings, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Reading r : readings) {
            sb.append(r.example()).append('\t').append(r.gold()).append('\t').append(r.predicted()).append('\t')
                    .append((float) r.confidence()).append('\t').append((float) r.outOfScope()).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /** Reads what {@link #write} wrote; an absent file gives no readings (a model saved before they were kept). */
    public static List<Reading> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Reading> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 5) {
                    throw new NluException(NluException.Code.MODEL, file + ": bad line " + line);
                }
                out.add(new Reading(Integer.parseInt(f[0]), f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            }
        } catch (IOException | NumberFormatException e) {
            throw new NluException(NluException.Code.MODEL, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }
}
