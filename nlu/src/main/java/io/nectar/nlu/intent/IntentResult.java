package io.nectar.nlu.intent;

import java.util.ArrayList;
import java.util.List;

/**
 * What an intent model made of one text.
 *
 * @param intent      the most likely in-scope intent (also when rejected: useful for "did you mean …?")
 * @param confidence  its calibrated probability
 * @param outOfScope  true when the model is not sure enough (its {@link #margin()} over the out-of-scope class
 *                    is below the model's threshold): route to fallback or a human rather than answer {@code intent}
 * @param ranked      in-scope intents, most likely first (at most {@value #RANKED})
 * @param outOfScopeProbability the probability of the model's {@value IntentExample#OUT_OF_SCOPE} class (0 when
 *                    it has none): above {@code confidence} the model thinks the text is none of its intents
 */
public record IntentResult(String intent, double confidence, boolean outOfScope, List<Scored> ranked,
                           double outOfScopeProbability) {

    public IntentResult(String intent, double confidence, boolean outOfScope, List<Scored> ranked) {
        this(intent, confidence, outOfScope, ranked, 0);
    }

    /** Whether the out-of-scope class beat every intent. */
    public boolean outOfScopeWins() {
        return outOfScopeProbability > confidence;
    }

    /**
     * How far the top intent's probability is above the out-of-scope class's: the score a model's threshold
     * applies to (decision 107). Without an out-of-scope class it is the top intent's probability; below 0
     * the out-of-scope class won.
     */
    public double margin() {
        return confidence - outOfScopeProbability;
    }

    static final int RANKED = 5;

    public record Scored(String intent, double confidence) {
    }

    /** The intent when accepted, else {@value IntentExample#OUT_OF_SCOPE}. */
    public String decision() {
        return outOfScope ? IntentExample.OUT_OF_SCOPE : intent;
    }

    /** Applies a model's decision rule to its class probabilities. */
    static IntentResult decide(float[] probabilities, List<String> labels, double threshold) {
        int oos = labels.indexOf(IntentExample.OUT_OF_SCOPE);
        List<Scored> ranked = new ArrayList<>(RANKED);
        boolean[] used = new boolean[labels.size()];
        for (int r = 0; r < RANKED; r++) {
            int best = -1;
            for (int k = 0; k < probabilities.length; k++) {
                if (k != oos && !used[k] && (best < 0 || probabilities[k] > probabilities[best])) {
                    best = k;
                }
            }
            if (best < 0) {
                break;
            }
            used[best] = true;
            ranked.add(new Scored(labels.get(best), probabilities[best]));
        }
        Scored top = ranked.get(0);
        double oosProbability = oos >= 0 ? probabilities[oos] : 0;
        double margin = top.confidence() - oosProbability;
        boolean reject = margin < threshold || oosProbability > top.confidence();
        return new IntentResult(top.intent(), top.confidence(), reject, List.copyOf(ranked), oosProbability);
    }
}
