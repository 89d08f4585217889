package io.nectar.gateway.knowledge;

import java.util.List;
import java.util.Map;

/**
 * Picks the sentence encoder for a language: the configured one, else the default. Vectors of
 * different encoders are not comparable, so a store's lines and a question in the same language always
 * go through the same encoder. Immutable.
 */
public final class EncoderRouter {

    private final Map<String, String> byLanguage;
    private final String defaultEncoder;
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

    public EncoderRouter(Map<String, String> byLanguage, String defaultEncoder, Map<String, Calibration> calibrations) {
        this.byLanguage = Map.copyOf(byLanguage);
        this.defaultEncoder = defaultEncoder;
        this.calibrations = Map.copyOf(calibrations);
    }

    public String encoderFor(String lang) {
        return byLanguage.getOrDefault(lang, defaultEncoder);
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
        java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>(byLanguage.values());
        s.add(defaultEncoder);
        return List.copyOf(s);
    }
}
