package io.nectar.nlu.encoder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentenceEncoderTest {

    private static SentenceEncoder zh;
    private static SentenceEncoder en;

    @BeforeAll
    static void load() {
        zh = SentenceEncoder.load(EncoderSpec.BGE_SMALL_ZH, 1);
        en = SentenceEncoder.load(EncoderSpec.MINILM_L6, 1);
    }

    @AfterAll
    static void close() {
        zh.close();
        en.close();
    }

    @Test
    void bundledEncodersHaveTheirDimensions() {
        assertEquals(512, zh.dimension());
        assertEquals(384, en.dimension());
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedQuestions() {
        try (SentenceEncoder.Session s = zh.newSession()) {
            float[][] v = s.encode(List.of("这个什么时候发货", "什么时候能发货", "我要开发票"));
            float para = Vectors.dot(v[0], v[1]);
            float other = Vectors.dot(v[0], v[2]);
            assertEquals(0.926, para, 0.03);
            assertTrue(para - other > 0.25, "paraphrase " + para + " vs unrelated " + other);
        }
        try (SentenceEncoder.Session s = en.newSession()) {
            float[][] v = s.encode(List.of("Do you ship abroad?", "Can you deliver to other countries?", "How do I clean leather shoes?"));
            assertTrue(Vectors.dot(v[0], v[1]) - Vectors.dot(v[0], v[2]) > 0.2);
        }
    }

    @Test
    void vectorsAreUnitLengthAndBatchOrderIsKept() {
        try (SentenceEncoder.Session s = en.newSession()) {
            List<String> texts = List.of("red shoes", "a much longer sentence about returning a pair of boots", "hi");
            float[][] batch = s.encode(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(1.0, Vectors.dot(batch[i], batch[i]), 1e-4);
                float[] alone = s.encode(List.of(texts.get(i)))[0];
                // int8 activations are quantised per batch: alone vs batched differ slightly, never by much
                assertTrue(Vectors.dot(alone, batch[i]) > 0.97, "text " + i);
            }
        }
    }

    @Test
    void lowerCasingKeepsMixedCaseProductNamesKnown() {
        try (SentenceEncoder.Session s = zh.newSession()) {
            float[][] v = s.encode(List.of("iPhone15有货吗", "iphone15有货吗"));
            assertEquals(1.0, Vectors.dot(v[0], v[1]), 1e-3);
        }
    }
}
