package io.nectar.gateway.knowledge;

import io.nectar.gateway.store.FaqEntry;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.Store;
import io.nectar.index.IndexEntry;
import io.nectar.index.KnowledgeIndex;
import io.nectar.nlu.encoder.Vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cosine a question needs to be answered in a language served without an intent head (decision 114).
 * Such a language is answered by the nearest FAQ entry's or flow's prototype (decision 112), and in a store
 * whose entries are all about one thing (ATEC's are all about 花呗 and 借呗) a question about something else
 * lands close to one of them anyway: the encoder's answer threshold, set on stores of varied entries, let
 * 99% of such near misses through. The floor is the median, over the store's entries, of each one's cosine to
 * its nearest other entry: a question no closer to an entry than half of the store's entries are to their
 * neighbours says little about which one it is. A store of varied entries has a median below the encoder's
 * threshold and keeps that; only a crowded store is asked for more.
 * <p>
 * Blocking CPU work (up to {@link #MAX_PROBES} × entries dot products): run at install, beside the heads.
 */
final class CrowdingFloor {

    /** The quantile of nearest-other-entry cosines taken as the floor (chosen on ATEC stores apart from the evaluated one). */
    static final double QUANTILE = 0.5;
    /** Entries probed at most (evenly spread), each against all: the median of a few hundred is as good as of all. */
    static final int MAX_PROBES = 500;

    private CrowdingFloor() {
    }

    /**
     * The floor of a language whose entries' prototypes (unit vectors, one per FAQ entry or flow) are these:
     * their median crowding when it is above the encoder's {@code threshold}, else {@code NaN} (the threshold
     * stands; also for fewer than two entries).
     */
    static double of(List<float[]> prototypes, double threshold) {
        int n = prototypes.size();
        if (n < 2) {
            return Double.NaN;
        }
        int probes = Math.min(n, MAX_PROBES);
        double[] nearest = new double[probes];
        for (int i = 0; i < probes; i++) {
            int p = (int) ((long) i * n / probes);
            float[] a = prototypes.get(p);
            double best = -1;
            for (int j = 0; j < n; j++) {
                if (j != p) {
                    best = Math.max(best, Vectors.dot(a, prototypes.get(j)));
                }
            }
            nearest[i] = best;
        }
        double floor = quantile(nearest, QUANTILE);
        return floor > threshold ? floor : Double.NaN;
    }

    /**
     * The floor of {@code lang} from the merchant's index space {@code space}: the prototypes of its FAQ
     * entries and flows in that language, as the index holds them.
     */
    static double of(KnowledgeIndex index, String merchant, String space, Store store, String lang, double threshold) {
        List<float[]> prototypes = new ArrayList<>();
        for (FaqEntry f : store.faqs()) {
            if (!f.questions().getOrDefault(lang, List.of()).isEmpty()) {
                add(prototypes, index.entry(merchant, space, "faq:" + f.id() + ":" + lang));
            }
        }
        for (Flow f : store.flows().flows()) {
            if (!f.phrasings().getOrDefault(lang, List.of()).isEmpty()) {
                add(prototypes, index.entry(merchant, space, "flow:" + f.id() + ":" + lang));
            }
        }
        return of(prototypes, threshold);
    }

    private static void add(List<float[]> prototypes, IndexEntry e) {
        if (e != null) {
            prototypes.add(e.vector());
        }
    }

    /** The {@code q} quantile of {@code xs} (linear between order statistics). */
    static double quantile(double[] xs, double q) {
        double[] s = xs.clone();
        Arrays.sort(s);
        double at = q * (s.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (at - lo) * (s[hi] - s[lo]);
    }
}
