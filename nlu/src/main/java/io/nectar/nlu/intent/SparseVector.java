package io.nectar.nlu.intent;

/** A sparse feature vector: parallel arrays of feature ids and values. */
record SparseVector(int[] ids, float[] values) {

    static final SparseVector EMPTY = new SparseVector(new int[0], new float[0]);

    int size() {
        return ids.length;
    }
}
