package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VectorMathTest {

    /** Both implementations against a double-precision reference, at lengths that exercise every tail loop. */
    @Test
    void simdAndScalarDotAgreeWithAReference() {
        Random r = new Random(8);
        assertEquals("simd", VectorMath.implementation(), "tests run with the Vector API module (see index/pom.xml)");
        for (int dim : new int[]{1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 384, 512, 515}) {
            float[] a = new float[dim];
            float[] b = new float[dim + 5];
            for (int i = 0; i < dim; i++) {
                a[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextGaussian();
            }
            double ref = 0;
            for (int i = 0; i < dim; i++) {
                ref += (double) a[i] * b[3 + i];
            }
            assertEquals(ref, VectorMath.scalarDot(a, b, 3), 1e-3 * Math.sqrt(dim), "scalar, dim " + dim);
            assertEquals(ref, SimdDot.dot(a, b, 3), 1e-3 * Math.sqrt(dim), "simd, dim " + dim);
            assertEquals(ref, VectorMath.dot(a, b, 3), 1e-3 * Math.sqrt(dim), "active, dim " + dim);
        }
    }
}
