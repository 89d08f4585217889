package io.nectar.index;

/**
 * What {@link KnowledgeIndex#open} did.
 *
 * @param outcome where the tenant's index came from
 * @param entries entries over all spaces
 * @param bytes   estimated resident bytes
 * @param millis  time taken
 * @param detail  why a snapshot was not used (empty when it was)
 */
public record OpenResult(Outcome outcome, int entries, long bytes, long millis, String detail) {

    public enum Outcome {
        /** Read from a valid snapshot of the same source version. */
        SNAPSHOT,
        /** Built from the source; snapshots are not configured. */
        BUILT,
        /** Built from the source: there was no snapshot yet. Now written. */
        REBUILT_MISSING,
        /** Built from the source: the snapshot was of another source version. Now rewritten. */
        REBUILT_STALE,
        /** Built from the source: the snapshot was damaged (checksum, truncation). Now rewritten. */
        REBUILT_CORRUPT
    }
}
