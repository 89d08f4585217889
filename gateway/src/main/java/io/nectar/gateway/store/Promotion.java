package io.nectar.gateway.store;

import java.time.LocalDate;
import java.util.Map;

/**
 * A promotion rule. {@code rule} and {@code appliesTo} keep the merchant's parameters as parsed
 * (numbers, strings, lists) for the parts of Nectar that act on them. Immutable.
 */
public record Promotion(String id, Localized name, Localized description, String type,
                        Map<String, Object> rule, Map<String, Object> appliesTo,
                        LocalDate validFrom, LocalDate validTo) {

    public Promotion {
        rule = Map.copyOf(rule);
        appliesTo = Map.copyOf(appliesTo);
    }

    /** Whether the promotion runs on {@code day} (open-ended when a bound is missing). */
    public boolean activeOn(LocalDate day) {
        return (validFrom == null || !day.isBefore(validFrom)) && (validTo == null || !day.isAfter(validTo));
    }
}
