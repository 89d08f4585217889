package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;
import io.nectar.nlu.TextNormalizer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Word and character n-gram TF-IDF features, the lexical half of an intent head and the whole of it for a
 * language with no sentence encoder. Text is normalised ({@link TextNormalizer}), punctuation becomes a
 * space; features are word unigrams and bigrams, character 2- to 4-grams over the padded text, and single
 * characters of scripts written without spaces (Han, Thai, kana, Hangul). The vocabulary is fitted on the
 * training texts (features seen in at least {@code minDf} of them); a feature the vocabulary lacks is
 * dropped, as its weight would be zero anyway, but counts in the text's length at the vocabulary's highest
 * idf (decision 125). Values are sublinear tf × idf, L2-normalised over all the text's n-grams, times
 * {@code weight}. Immutable once fitted; any thread.
 */
final class LexicalFeatures {

    static final String FILE = "lexicon.txt";
    /** How {@link #transform} turns a text into features; a head trained under another version is trained again. */
    static final int VERSION = 2;

    private final Map<String, Integer> index;
    private final String[] grams;
    private final float[] idf;
    private final float weight;
    /** Weight of an n-gram the vocabulary lacks, in a text's length only: as rare as the rarest it has. */
    private final float unseenIdf;

    private LexicalFeatures(String[] grams, float[] idf, float weight) {
        this.grams = grams;
        this.idf = idf;
        this.weight = weight;
        float rarest = 0;
        for (float f : idf) {
            rarest = Math.max(rarest, f);
        }
        this.unseenIdf = rarest;
        this.index = new HashMap<>(grams.length * 2);
        for (int i = 0; i < grams.length; i++) {
            index.put(grams[i], i);
        }
    }

    /** A featurizer with no features: for heads that use sentence vectors only. */
    static LexicalFeatures none() {
        return new LexicalFeatures(new String[0], new float[0], 0f);
    }

    static LexicalFeatures fit(List<String> texts, int minDf, int maxFeatures, float weight) {
        Map<String, int[]> df = new HashMap<>();
        for (String t : texts) {
            for (String g : new HashSet<>(grams(t))) {
                df.computeIfAbsent(g, k -> new int[1])[0]++;
            }
        }
        List<Map.Entry<String, int[]>> kept = new ArrayList<>();
        for (Map.Entry<String, int[]> e : df.entrySet()) {
            if (e.getValue()[0] >= minDf) {
                kept.add(e);
            }
        }
        // Most frequent first, ties by text, so the vocabulary is deterministic.
        kept.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        int n = Math.min(kept.size(), maxFeatures);
        String[] grams = new String[n];
        float[] idf = new float[n];
        for (int i = 0; i < n; i++) {
            grams[i] = kept.get(i).getKey();
            idf[i] = (float) (Math.log((1.0 + texts.size()) / (1.0 + kept.get(i).getValue()[0])) + 1.0);
        }
        return new LexicalFeatures(grams, idf, weight);
    }

    int size() {
        return grams.length;
    }

    float weight() {
        return weight;
    }

    SparseVector transform(String text) {
        if (grams.length == 0) {
            return SparseVector.EMPTY;
        }
        Map<Integer, int[]> tf = new HashMap<>();
        Map<String, int[]> unknown = new HashMap<>();
        for (String g : grams(text)) {
            Integer id = index.get(g);
            if (id != null) {
                tf.computeIfAbsent(id, k -> new int[1])[0]++;
            } else {
                unknown.computeIfAbsent(g, k -> new int[1])[0]++;
            }
        }
        int[] ids = new int[tf.size()];
        int k = 0;
        for (Integer id : tf.keySet()) {
            ids[k++] = id;
        }
        Arrays.sort(ids);
        float[] values = new float[ids.length];
        double norm = 0;
        for (int i = 0; i < ids.length; i++) {
            double v = (1.0 + Math.log(tf.get(ids[i])[0])) * idf[ids[i]];
            values[i] = (float) v;
            norm += v * v;
        }
        // n-grams the vocabulary lacks have no feature, but they count in the length: a text the store's
        // words barely cover ("你们卖咖啡吗" beside a tea shop's "你们卖什么茶") gets a short lexical vector, not
        // one as long as a text made of them, so a few shared function words cannot pass for a match
        for (int[] count : unknown.values()) {
            double v = (1.0 + Math.log(count[0])) * unseenIdf;
            norm += v * v;
        }
        if (norm > 0 && ids.length > 0) {
            float scale = (float) (weight / Math.sqrt(norm));
            for (int i = 0; i < values.length; i++) {
                values[i] *= scale;
            }
        }
        return new SparseVector(ids, values);
    }

    /** The raw n-grams of a text, with repeats. */
    static List<String> grams(String text) {
        String norm = TextNormalizer.normalize(text);
        StringBuilder clean = new StringBuilder(norm.length() + 2).append(' ');
        for (int i = 0; i < norm.length(); ) {
            int cp = norm.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                    || Character.getType(cp) == Character.COMBINING_SPACING_MARK) {
                clean.appendCodePoint(cp);
            } else if (clean.charAt(clean.length() - 1) != ' ') {
                clean.append(' ');
            }
        }
        if (clean.charAt(clean.length() - 1) != ' ') {
            clean.append(' ');
        }
        String s = clean.toString();
        List<String> out = new ArrayList<>();
        String[] words = s.trim().isEmpty() ? new String[0] : s.trim().split(" ");
        for (int i = 0; i < words.length; i++) {
            out.add("w:" + words[i]);
            if (i > 0) {
                out.add("b:" + words[i - 1] + ' ' + words[i]);
            }
        }
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            if (isUnspacedScript(cps[i])) {
                out.add("c:" + new String(cps, i, 1));
            }
            for (int n = 2; n <= 4 && i + n <= cps.length; n++) {
                out.add("c:" + new String(cps, i, n));
            }
        }
        return out;
    }

    private static boolean isUnspacedScript(int cp) {
        Character.UnicodeScript script;
        try {
            script = Character.UnicodeScript.of(cp);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return switch (script) {
            case HAN, THAI, HIRAGANA, KATAKANA, HANGUL, LAO, KHMER, MYANMAR -> true;
            default -> false;
        };
    }

    void write(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# nectar lexicon v1\tweight=" + weight + "\n");
            for (int i = 0; i < grams.length; i++) {
                w.write(grams[i]);
                w.write('\t');
                w.write(Float.toString(idf[i]));
                w.write('\n');
            }
        }
    }

    static LexicalFeatures read(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.startsWith("# nectar lexicon v1\tweight=")) {
                throw new NluException(NluException.Code.MODEL, file + ": not a nectar lexicon");
            }
            float weight = Float.parseFloat(header.substring(header.indexOf('=') + 1));
            List<String> grams = new ArrayList<>();
            List<Float> idf = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            String line;
            while ((line = r.readLine()) != null) {
                int tab = line.lastIndexOf('\t');
                if (tab <= 0) {
                    throw new NluException(NluException.Code.MODEL, file + ": malformed line " + (grams.size() + 2));
                }
                String g = line.substring(0, tab);
                if (!seen.add(g)) {
                    throw new NluException(NluException.Code.MODEL, file + ": duplicate feature " + g);
                }
                grams.add(g);
                idf.add(Float.parseFloat(line.substring(tab + 1)));
            }
            float[] idfs = new float[idf.size()];
            for (int i = 0; i < idfs.length; i++) {
                idfs[i] = idf.get(i);
            }
            return new LexicalFeatures(grams.toArray(new String[0]), idfs, weight);
        } catch (IOException | NumberFormatException e) {
            throw new NluException(NluException.Code.MODEL, "cannot read lexicon " + file + ": " + e.getMessage(), e);
        }
    }
}
