package io.nectar.gateway.knowledge;

import io.nectar.nlu.encoder.EncoderSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Picks the sentence encoders for a language: the configured list, else the default list. The first
 * encoder of a language is its <em>primary</em> one: the store's index space for that language (FAQ and
 * flow prototypes, products, promotions) is built with it; every encoder of the list feeds the
 * language's intent head. Vectors of different encoders are not comparable, so a store's lines and a
 * question in the same language always go through the same encoders. Immutable.
 */
public final class EncoderRouter {

    /** Chinese: bge-small-zh (decision 2). */
    public static final List<String> DEFAULT_ZH = List.of(EncoderSpec.BGE_SMALL_ZH.name());
    /** Every other language: see docs/decisions.md for how the default English list was chosen. */
    public static final List<String> DEFAULT_OTHER = List.of(EncoderSpec.BGE_SMALL_EN.name(), EncoderSpec.E5_SMALL.name());

    /**
     * Cosine answer thresholds of the bundled encoders' prototype scores (sharpness in {@code scale}).
     * MiniLM and bge-small-zh from the demo store's leave-one-out check (decision 5); bge-small-en and
     * e5-small chosen on held-out CLINC150 training utterances (decision 39).
     */
    public static final Map<String, Calibration> DEFAULT_CALIBRATIONS = Map.of(
            EncoderSpec.BGE_SMALL_ZH.name(), new Calibration(0.62, 0.03),
            EncoderSpec.MINILM_L6.name(), new Calibration(0.45, 0.04),
            EncoderSpec.BGE_SMALL_EN.name(), new Calibration(0.75, 0.03),
            EncoderSpec.E5_SMALL.name(), new Calibration(0.87, 0.015));

    private final Map<String, List<String>> byLanguage;
    private final List<String> defaultEncoders;
    private final Map<String, Calibration> calibrations;

    /**
     * Answer threshold and sharpness of one encoder's cosine scores. Confidence is
     * {@code 1 / (1 + exp(-(score - threshold) / scale))}: 0.5 at the threshold.
     */
    public record Calibration(double threshold, double scale) {
        public Calibration {
            if (threshold <= -1 || threshold >= 1 || scale <= 0) {
                throw new IllegalArgumentException("threshold must be in (-1, 1) and scale > 0");
            }
        }

        public double confidence(double score) {
            return 1.0 / (1.0 + Math.exp(-(score - threshold) / scale));
        }
    }

    /**
     * @param byLanguage      encoders per language code, primary first
     * @param defaultEncoders encoders of any other language
     * @param calibrations    per encoder name
     */
    public EncoderRouter(Map<String, List<String>> byLanguage, List<String> defaultEncoders, Map<String, Calibration> calibrations) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        byLanguage.forEach((k, v) -> {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("language " + k + " needs at least one encoder");
            }
            copy.put(k, List.copyOf(v));
        });
        if (defaultEncoders.isEmpty()) {
            throw new IllegalArgumentException("the default encoder list is empty");
        }
        this.byLanguage = Map.copyOf(copy);
        this.defaultEncoders = List.copyOf(defaultEncoders);
        this.calibrations = Map.copyOf(calibrations);
        for (String e : encoders()) {
            calibration(e);
        }
    }

    /** The encoders of a language, primary first. */
    public List<String> encodersFor(String lang) {
        return byLanguage.getOrDefault(lang, defaultEncoders);
    }

    /** The primary encoder of a language: the one its index space uses. */
    public String encoderFor(String lang) {
        return encodersFor(lang).get(0);
    }

    public Calibration calibration(String encoder) {
        Calibration c = calibrations.get(encoder);
        if (c == null) {
            throw new IllegalArgumentException("no calibration for encoder " + encoder);
        }
        return c;
    }

    /** Encoders this router may pick. */
    public List<String> encoders() {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        byLanguage.values().forEach(s::addAll);
        s.addAll(defaultEncoders);
        return List.copyOf(s);
    }

    /** Encoders needed for these languages (primary ones first), in a stable order. */
    public List<String> encodersFor(Iterable<String> languages) {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        for (String l : languages) {
            s.addAll(encodersFor(l));
        }
        return new ArrayList<>(s);
    }
}
