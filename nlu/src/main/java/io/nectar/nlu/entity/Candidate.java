package io.nectar.nlu.entity;

import java.util.Map;
import java.util.Set;

/** A possible entity before overlaps are resolved; higher {@code priority} wins among equal lengths. */
record Candidate(EntityType type, String value, int start, int end, Map<String, String> attributes, int priority) {

    int length() {
        return end - start;
    }

    boolean overlaps(Candidate o) {
        return start < o.end && o.start < end;
    }

    Entity toEntity(String text) {
        return new Entity(type, value, text.substring(start, end), start, end, attributes, Set.of());
    }
}
