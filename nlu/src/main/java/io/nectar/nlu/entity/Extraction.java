package io.nectar.nlu.entity;

import java.util.List;
import java.util.Optional;

/**
 * Everything {@link EntityExtractor} found in one text: entity mentions in text order (non-overlapping)
 * and the negation/correction cues. Immutable.
 */
public record Extraction(String text, List<Entity> entities, List<Cue> cues) {

    public static final Extraction EMPTY = new Extraction("", List.of(), List.of());

    public Extraction {
        entities = List.copyOf(entities);
        cues = List.copyOf(cues);
    }

    /** Every mention of {@code type}, in text order. */
    public List<Entity> all(EntityType type) {
        return entities.stream().filter(e -> e.type() == type).toList();
    }

    /**
     * The mention of {@code type} the shopper ends up meaning: the last one that is neither negated nor
     * superseded ("棕色……不，黑色的吧" → black; "not brown, black" → black).
     */
    public Optional<Entity> resolved(EntityType type) {
        Entity best = null;
        for (Entity e : entities) {
            if (e.type() == type && e.isAffirmed()) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Mentions of {@code type} the shopper rejected ("不要棕色"). */
    public List<Entity> rejected(EntityType type) {
        return entities.stream().filter(e -> e.type() == type && !e.isAffirmed()).toList();
    }

    public boolean has(EntityType type) {
        return entities.stream().anyMatch(e -> e.type() == type);
    }

    /** Whether the text carries a correction cue ("不，", "actually", "I mean"). */
    public boolean hasCorrection() {
        return cues.stream().anyMatch(c -> c.kind() == Cue.Kind.CORRECTION);
    }
}
