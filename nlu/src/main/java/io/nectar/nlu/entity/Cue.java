package io.nectar.nlu.entity;

/**
 * A word that changes what nearby entities mean.
 *
 * @param kind  negation ("不要", "not") or correction ("不，", "actually", "I mean")
 * @param text  the cue as written
 * @param start offset of its first char
 * @param end   offset after its last char
 */
public record Cue(Kind kind, String text, int start, int end) {
    public enum Kind { NEGATION, CORRECTION }
}
