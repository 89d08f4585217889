package io.nectar.nlu.encoder;

/** Small vector helpers. Pure functions, any thread. */
public final class Vectors {

    private Vectors() {
    }

    /** Scales {@code v} to unit length in place and returns it (a zero vector stays zero). */
    public static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        if (sum > 0) {
            float inv = (float) (1.0 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    /** Dot product; the cosine similarity of two unit vectors. */
    public static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
