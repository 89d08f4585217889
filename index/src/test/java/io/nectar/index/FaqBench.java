package io.nectar.index;

import io.nectar.nlu.encoder.EncoderSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CLINC150 as an FAQ store, ranked through the index API: vector only, lexical only, and hybrid.
 * <p>
 * Store: each of the 150 intents is one FAQ entry, its first training utterance the question and the
 * next 10 its paraphrases (the rule of the end-to-end evaluation, ops/faq-eval). Settings (fusion weight,
 * answer threshold) are chosen on <b>tuning</b> data, 20 other training utterances per intent plus the
 * 100 out-of-scope training utterances; the figures reported are on the <b>validation</b> split
 * (3,000 in scope, 100 out of scope), which no choice looked at.
 * <p>
 * Two layouts: one index entry per phrasing (the best phrasing of an entry counts) and one prototype per
 * entry (mean vector; all phrasings as its text), the layout the gateway uses.
 */
final class FaqBench {

    private static final int PER_ENTRY = 11;
    private static final int TUNING_PER_INTENT = 20;
    private static final float[] WEIGHTS = {0.05f, 0.1f, 0.15f, 0.2f, 0.25f, 0.3f, 0.4f, 0.5f, 0.7f, 1.0f};

    private FaqBench() {
    }

    record Question(String text, String intent, float[] vector) {
        boolean inScope() {
            return !"oos".equals(intent);
        }
    }

    /** Top answer (best entry per target) and its score for one question. */
    record Answer(String target, float score) {
    }

    static void run(Path cache) {
        List<Datasets.Utterance> train = Datasets.utterances("clinc150/train.jsonl");
        List<Datasets.Utterance> val = Datasets.utterances("clinc150/validation.jsonl");
        Map<String, List<String>> byIntent = new LinkedHashMap<>();
        List<String> oosTrain = new ArrayList<>();
        for (Datasets.Utterance u : train) {
            if ("oos".equals(u.intent())) {
                oosTrain.add(u.text());
            } else {
                byIntent.computeIfAbsent(u.intent(), k -> new ArrayList<>()).add(u.text());
            }
        }
        Set<String> texts = new LinkedHashSet<>();
        byIntent.values().forEach(l -> texts.addAll(l.subList(0, Math.min(l.size(), PER_ENTRY + TUNING_PER_INTENT))));
        texts.addAll(oosTrain);
        val.forEach(u -> texts.add(u.text()));
        List<String> all = new ArrayList<>(texts);
        float[][] vs = Embeddings.encode(EncoderSpec.MINILM_L6, all, Math.max(1, Runtime.getRuntime().availableProcessors()), cache);
        Map<String, float[]> vec = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            vec.put(all.get(i), vs[i]);
        }

        List<Question> tuning = new ArrayList<>();
        byIntent.forEach((intent, l) -> {
            for (String t : l.subList(PER_ENTRY, Math.min(l.size(), PER_ENTRY + TUNING_PER_INTENT))) {
                tuning.add(new Question(t, intent, vec.get(t)));
            }
        });
        oosTrain.forEach(t -> tuning.add(new Question(t, "oos", vec.get(t))));
        List<Question> validation = val.stream().map(u -> new Question(u.text(), u.intent(), vec.get(u.text()))).toList();

        int dim = vs[0].length;
        List<IndexEntry> phrasings = new ArrayList<>();
        List<IndexEntry> prototypes = new ArrayList<>();
        byIntent.forEach((intent, l) -> {
            List<String> ps = l.subList(0, PER_ENTRY);
            float[] sum = new float[dim];
            for (int j = 0; j < ps.size(); j++) {
                float[] v = vec.get(ps.get(j));
                phrasings.add(new IndexEntry(intent + ":" + j, intent, EntryKind.FAQ, "en", ps.get(j), v));
                for (int d = 0; d < dim; d++) {
                    sum[d] += v[d];
                }
            }
            prototypes.add(new IndexEntry(intent, intent, EntryKind.FAQ, "en", String.join("\n", ps), normalize(sum)));
        });

        System.out.printf("%n== FAQ ranking on CLINC150 (all-MiniLM-L6-v2-q, 384-d): %d entries, %d phrasings each; "
                        + "tuning %d questions (%d out of scope), validation %d (%d out of scope)%n",
                byIntent.size(), PER_ENTRY, tuning.size(), oosTrain.size(), validation.size(),
                validation.stream().filter(q -> !q.inScope()).count());
        try (KnowledgeIndex index = new KnowledgeIndex()) {
            index.replace("phrasings", "en", dim, phrasings);
            index.replace("prototypes", "en", dim, prototypes);
            System.out.println("| layout | ranking | tuning top-1 | validation top-1 | threshold (from tuning) "
                    + "| validation in-scope answered right | validation out-of-scope fallback |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
            for (String layout : List.of("phrasings", "prototypes")) {
                HybridParams base = HybridParams.defaults();
                report(index, layout, "vector", Ranking.VECTOR, base, tuning, validation);
                report(index, layout, "lexical (BM25)", Ranking.LEXICAL, base, tuning, validation);
                float bestW = 0;
                double bestAcc = -1;
                StringBuilder sweep = new StringBuilder();
                for (float w : WEIGHTS) {
                    double acc = top1(answers(index, layout, Ranking.HYBRID, base.withLexicalWeight(w), tuning), tuning);
                    sweep.append(String.format(" w=%.2f:%.4f", w, acc));
                    if (acc > bestAcc) {
                        bestAcc = acc;
                        bestW = w;
                    }
                }
                report(index, layout, String.format("hybrid weighted, w=%.2f (best on tuning)", bestW), Ranking.HYBRID,
                        base.withLexicalWeight(bestW), tuning, validation);
                report(index, layout, String.format("hybrid weighted, w=%.2f (default)", base.lexicalWeight()), Ranking.HYBRID,
                        base, tuning, validation);
                report(index, layout, "hybrid RRF", Ranking.HYBRID, base.withFusion(HybridParams.Fusion.RRF), tuning, validation);
                System.out.printf("|   | tuning sweep (%s):%s | | | | | |%n", layout, sweep);
            }
        }
    }

    private static void report(KnowledgeIndex index, String layout, String label, Ranking ranking, HybridParams hp,
                               List<Question> tuning, List<Question> validation) {
        List<Answer> t = answers(index, layout, ranking, hp, tuning);
        List<Answer> v = answers(index, layout, ranking, hp, validation);
        float threshold = threshold(t, tuning, 0.60);
        double[] vr = withThreshold(v, validation, threshold);
        System.out.printf("| %s | %s | %.4f | %.4f | %.3f | %.4f | %.4f |%n", layout, label, top1(t, tuning), top1(v, validation),
                threshold, vr[0], vr[1]);
    }

    static List<Answer> answers(KnowledgeIndex index, String layout, Ranking ranking, HybridParams hp, List<Question> qs) {
        List<Answer> out = new ArrayList<>(qs.size());
        for (Question q : qs) {
            List<SearchHit> hits = index.search(layout, "en", q.vector(), q.text(), 20, ranking, hp);
            out.add(hits.isEmpty() ? new Answer(null, -1) : new Answer(hits.get(0).entry().target(), hits.get(0).score()));
        }
        return out;
    }

    /** Share of in-scope questions whose top answer is right, with no threshold. */
    static double top1(List<Answer> as, List<Question> qs) {
        int right = 0, in = 0;
        for (int i = 0; i < qs.size(); i++) {
            if (qs.get(i).inScope()) {
                in++;
                if (qs.get(i).intent().equals(as.get(i).target())) {
                    right++;
                }
            }
        }
        return (double) right / in;
    }

    /** [in-scope answered right, out-of-scope sent to the fallback] at a score threshold. */
    static double[] withThreshold(List<Answer> as, List<Question> qs, float threshold) {
        int right = 0, in = 0, fallback = 0, out = 0;
        for (int i = 0; i < qs.size(); i++) {
            Answer a = as.get(i);
            boolean answered = a.score() >= threshold;
            if (qs.get(i).inScope()) {
                in++;
                if (answered && qs.get(i).intent().equals(a.target())) {
                    right++;
                }
            } else {
                out++;
                if (!answered) {
                    fallback++;
                }
            }
        }
        return new double[]{(double) right / in, (double) fallback / out};
    }

    /** The lowest threshold that sends at least {@code oosFallback} of the out-of-scope questions to the fallback. */
    static float threshold(List<Answer> as, List<Question> qs, double oosFallback) {
        List<Float> oos = new ArrayList<>();
        for (int i = 0; i < qs.size(); i++) {
            if (!qs.get(i).inScope()) {
                oos.add(as.get(i).score());
            }
        }
        oos.sort(Float::compare);
        int idx = (int) Math.ceil(oosFallback * oos.size()) - 1;
        return Math.nextUp(oos.get(Math.max(0, Math.min(oos.size() - 1, idx))));
    }

    static float[] normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(s));
        }
        return out;
    }
}
