package io.nectar.gateway.knowledge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changes in a merchant's index between two versions of its store, entry by entry: the index
 * entries (an FAQ entry's or flow's prototype in one language, a product's title or keywords line, a
 * promotion's name) whose lines are new or different, to be embedded and upserted, and the ones that are
 * gone, to be removed. An entry whose lines are unchanged keeps its vector. Immutable.
 */
final class IndexDelta {

    /** Lines of the entries to embed and upsert, by space. */
    final Map<String, List<StoreIndexContent.Line>> upserts;
    /** Ids of the entries to remove, by space. */
    final Map<String, Set<String>> removals;

    private IndexDelta(Map<String, List<StoreIndexContent.Line>> upserts, Map<String, Set<String>> removals) {
        this.upserts = upserts;
        this.removals = removals;
    }

    static IndexDelta between(Map<String, List<StoreIndexContent.Line>> before, Map<String, List<StoreIndexContent.Line>> after) {
        Map<String, List<StoreIndexContent.Line>> upserts = new LinkedHashMap<>();
        Map<String, Set<String>> removals = new LinkedHashMap<>();
        Set<String> spaces = new LinkedHashSet<>(before.keySet());
        spaces.addAll(after.keySet());
        for (String space : spaces) {
            Map<String, List<StoreIndexContent.Line>> old = byEntry(before.getOrDefault(space, List.of()));
            Map<String, List<StoreIndexContent.Line>> now = byEntry(after.getOrDefault(space, List.of()));
            List<StoreIndexContent.Line> changed = new ArrayList<>();
            now.forEach((id, lines) -> {
                if (!Objects.equals(lines, old.get(id))) {
                    changed.addAll(lines);
                }
            });
            Set<String> gone = new LinkedHashSet<>(old.keySet());
            gone.removeAll(now.keySet());
            if (!changed.isEmpty()) {
                upserts.put(space, changed);
            }
            if (!gone.isEmpty()) {
                removals.put(space, gone);
            }
        }
        return new IndexDelta(upserts, removals);
    }

    private static Map<String, List<StoreIndexContent.Line>> byEntry(List<StoreIndexContent.Line> lines) {
        Map<String, List<StoreIndexContent.Line>> out = new LinkedHashMap<>();
        for (StoreIndexContent.Line l : lines) {
            out.computeIfAbsent(l.id(), k -> new ArrayList<>()).add(l);
        }
        return out;
    }

    boolean isEmpty() {
        return upserts.isEmpty() && removals.isEmpty();
    }

    int upsertedEntries() {
        int n = 0;
        for (List<StoreIndexContent.Line> ls : upserts.values()) {
            n += (int) ls.stream().map(StoreIndexContent.Line::id).distinct().count();
        }
        return n;
    }

    int removedEntries() {
        return removals.values().stream().mapToInt(Set::size).sum();
    }
}
