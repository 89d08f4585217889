package io.nectar.nlu.intent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A text's lexical vector is as long as the share of its n-grams the vocabulary knows (decision 125): a
 * question that shares only a few function words with the store must not look like one made of its words.
 */
class LexicalFeaturesTest {

    static final List<String> TEA_SHOP = List.of("你们卖什么茶", "有绿茶吗", "龙井多少钱", "普洱茶怎么泡");

    static double length(SparseVector v) {
        double sum = 0;
        for (float x : v.values()) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    @Test
    void aTextMadeOfTheVocabularyHasTheFullWeight() {
        LexicalFeatures lf = LexicalFeatures.fit(TEA_SHOP, 1, 10_000, 0.5f);
        assertEquals(0.5, length(lf.transform("你们卖什么茶")), 1e-5);
    }

    @Test
    void aTextTheVocabularyBarelyCoversHasAShortVector() {
        LexicalFeatures lf = LexicalFeatures.fit(TEA_SHOP, 1, 10_000, 0.5f);
        double coffee = length(lf.transform("你们卖咖啡吗"));
        double tea = length(lf.transform("你们卖绿茶吗"));
        assertTrue(coffee > 0, "its known n-grams are still features");
        assertTrue(coffee < 0.4, "mostly unknown: " + coffee);
        assertTrue(tea > coffee, "more of it known, longer: " + tea + " against " + coffee);
        assertEquals(0, length(lf.transform("weather tomorrow")), 1e-9);
    }
}
