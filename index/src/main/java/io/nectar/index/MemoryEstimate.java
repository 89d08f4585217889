package io.nectar.index;

/**
 * Rough heap sizes of the objects the index keeps, for the per-tenant memory budget. Assumes a 64-bit
 * JVM with compressed references (12-byte headers, 4-byte references, 8-byte alignment), the default
 * below 32 GB heaps. The benchmark compares these estimates with measured heap growth.
 */
final class MemoryEstimate {

    private MemoryEstimate() {
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** A String with its backing array (compact strings: 1 byte per Latin-1 char, else 2). */
    static long string(String s) {
        if (s == null) {
            return 0;
        }
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) {
            latin1 = s.charAt(i) < 256;
        }
        return 24 + align(16 + (long) s.length() * (latin1 ? 1 : 2));
    }

    static long floats(int n) {
        return align(16 + 4L * n);
    }

    static long ints(int n) {
        return align(16 + 4L * n);
    }

    static long refs(int n) {
        return align(16 + 4L * n);
    }

    /** An entry's metadata: the record and its strings (not the vector). */
    static long entryMeta(IndexEntry e) {
        return 32 + string(e.id()) + string(e.target()) + string(e.lang()) + string(e.text());
    }
}
