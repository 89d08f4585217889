package io.nectar.gateway.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups questions by meaning: leader clustering over unit sentence vectors (a question joins the first
 * group whose running centroid is at least {@link #SIMILARITY} cosine from it, else starts one), most
 * frequent questions first so groups form around what shoppers ask most. Exact and deterministic; a few
 * thousand questions take milliseconds. Pure; run it off the event loop.
 */
public final class Clusters {

    /** Cosine to a group's centroid for a question to join it (bge-small: paraphrases are ~0.85+, unrelated questions ~0.5–0.7). */
    public static final double SIMILARITY = 0.80;

    /** One group: its questions (distinct texts with their counts, most asked first). */
    public record Group(List<String> texts, List<Integer> counts) {
        public int total() {
            return counts.stream().mapToInt(Integer::intValue).sum();
        }
    }

    private Clusters() {
    }

    /** {@code texts} distinct, with {@code counts} and unit {@code vectors} in the same order (most asked first). */
    public static List<Group> group(List<String> texts, List<Integer> counts, List<float[]> vectors, double similarity) {
        List<float[]> sums = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            float[] v = vectors.get(i);
            int best = -1;
            double bestCos = similarity;
            for (int g = 0; g < sums.size(); g++) {
                double c = cosine(sums.get(g), v);
                if (c >= bestCos) {
                    bestCos = c;
                    best = g;
                }
            }
            if (best < 0) {
                sums.add(v.clone());
                members.add(new ArrayList<>(List.of(i)));
            } else {
                float[] s = sums.get(best);
                for (int k = 0; k < s.length; k++) {
                    s[k] += v[k];
                }
                members.get(best).add(i);
            }
        }
        List<Group> out = new ArrayList<>();
        for (List<Integer> m : members) {
            List<String> t = new ArrayList<>();
            List<Integer> c = new ArrayList<>();
            for (int i : m) {
                t.add(texts.get(i));
                c.add(counts.get(i));
            }
            out.add(new Group(t, c));
        }
        out.sort((a, b) -> Integer.compare(b.total(), a.total()));
        return out;
    }

    /** Distinct texts (trimmed, case kept) with their counts, most frequent first. */
    public static Map<String, Integer> distinct(List<String> texts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : texts) {
            counts.merge(t.strip(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
        Map<String, Integer> out = new LinkedHashMap<>();
        sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static double cosine(float[] sum, float[] unit) {
        double dot = 0;
        double n = 0;
        for (int k = 0; k < sum.length; k++) {
            dot += sum[k] * unit[k];
            n += sum[k] * sum[k];
        }
        return n == 0 ? 0 : dot / Math.sqrt(n);
    }
}
