package io.nectar.nlu.entity;

import java.util.Map;
import java.util.Set;

/**
 * One entity mention in a shopper's text.
 *
 * @param type       what it is
 * @param value      normalised value (see {@link EntityType} for each type's form)
 * @param text       the text as the shopper wrote it
 * @param start      offset of the first char in the text given to the extractor (UTF-16 index)
 * @param end        offset after the last char
 * @param attributes extra facts ({@code currency}, {@code unit}, {@code period}, {@code candidates}, {@code bare})
 * @param flags      whether the shopper negated it or corrected it
 */
public record Entity(EntityType type, String value, String text, int start, int end,
                     Map<String, String> attributes, Set<Flag> flags) {

    /** What the words around a mention say about it. */
    public enum Flag {
        /** Negated right before it: "不要棕色", "not brown". */
        NEGATED,
        /** Replaced by a later mention of the same type after a correction cue: 棕色 in "棕色……不，黑色". */
        SUPERSEDED,
        /** Stated after a correction cue, replacing an earlier mention: 黑色 in "棕色……不，黑色". */
        CORRECTION
    }

    public Entity {
        attributes = Map.copyOf(attributes);
        flags = Set.copyOf(flags);
    }

    public String attribute(String name) {
        return attributes.get(name);
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** Whether the shopper still means this value: neither negated nor superseded. */
    public boolean isAffirmed() {
        return !flags.contains(Flag.NEGATED) && !flags.contains(Flag.SUPERSEDED);
    }

    Entity withFlag(Flag flag) {
        java.util.EnumSet<Flag> f = flags.isEmpty() ? java.util.EnumSet.noneOf(Flag.class) : java.util.EnumSet.copyOf(flags);
        f.add(flag);
        return new Entity(type, value, text, start, end, attributes, f);
    }
}
