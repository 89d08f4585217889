package io.nectar.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot product on the JDK's incubating Vector API (SIMD lanes, fused multiply-add). Loaded only when the
 * JVM runs with {@code --add-modules jdk.incubator.vector}; {@link VectorMath} falls back to scalar code
 * otherwise, so this class is never touched without the module.
 */
final class SimdDot {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private SimdDot() {
    }

    static float dot(float[] a, float[] b, int off) {
        int n = a.length;
        int step = S.length();
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * step <= n; i += 2 * step) {
            acc0 = FloatVector.fromArray(S, a, i).fma(FloatVector.fromArray(S, b, off + i), acc0);
            acc1 = FloatVector.fromArray(S, a, i + step).fma(FloatVector.fromArray(S, b, off + i + step), acc1);
        }
        for (; i + step <= n; i += step) {
            acc0 = FloatVector.fromArray(S, a, i).fma(FloatVector.fromArray(S, b, off + i), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[i] * b[off + i];
        }
        return s;
    }
}
