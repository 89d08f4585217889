package io.nectar.gateway.knowledge;

import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A saved head is reused only when it was trained from the same examples with the same trainer settings
 * (decision 125): a node upgraded to other settings trains its heads again instead of serving old ones.
 * Real bge-small-zh encoder and trainer.
 */
class HeadRecipeTest {

    static SentenceEncoder encoder;
    static EncoderExecutor executor;

    static final List<IntentExample> EXAMPLES = new ArrayList<>();

    static {
        String[][] intents = {
                {"faq:delivery", "多久能发货", "什么时候发货", "下单后几天发货"},
                {"faq:returns", "怎么退货", "可以退货吗", "退货流程是什么"},
                {"faq:payment", "可以用信用卡付款吗", "支持哪些付款方式", "能用花呗吗"}};
        for (String[] intent : intents) {
            for (int i = 1; i < intent.length; i++) {
                EXAMPLES.add(new IntentExample(intent[i], intent[0], "zh"));
            }
        }
    }

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.load(EncoderSpec.BGE_SMALL_ZH, 1);
        executor = new EncoderExecutor(List.of(encoder), EncoderExecutor.Options.DEFAULT);
    }

    @AfterAll
    static void close() {
        executor.close();
        encoder.close();
    }

    @Test
    void aChineseHeadChoosesBetweenTwoLexicalWeightsUnlessTold() {
        IntentTrainer.Options d = IntentTrainer.Options.DEFAULT;
        assertArrayEquals(new double[]{d.lexicalWeight(), IntentTrainer.Options.CHINESE_LEXICAL_WEIGHT}, d.lexicalWeightsFor("zh"));
        assertArrayEquals(new double[]{d.lexicalWeight()}, d.lexicalWeightsFor("en"));
        assertArrayEquals(new double[]{0.5}, d.withLexicalWeight(0.5).lexicalWeightsFor("zh"), "a weight of its own is kept");
        assertNotEquals(d.recipe(), d.withLexicalWeight(0.5).recipe());
        assertEquals(d.recipe(), d.withThreads(1).recipe(), "threads do not change what a head learns");
    }

    @Test
    void aSavedHeadIsReusedOnlyWithTheSameTrainerSettings() throws Exception {
        Path dir = Files.createTempDirectory("head-recipe");
        List<String> encoders = List.of(EncoderSpec.BGE_SMALL_ZH.name());
        IntentHeads.Training data = IntentHeads.Training.ownOnly(EXAMPLES);
        IntentHeads.Head first = heads(dir, IntentTrainer.Options.DEFAULT).install("shop", "zh", data, encoders, Double.NaN);
        assertTrue(first.origin().startsWith("trained"), first.origin());
        IntentHeads.Head again = heads(dir, IntentTrainer.Options.DEFAULT.withThreads(1)).install("shop", "zh", data, encoders, Double.NaN);
        assertTrue(again.origin().startsWith("loaded"), again.origin());
        IntentHeads.Head other = heads(dir, IntentTrainer.Options.DEFAULT.withLexicalWeight(0.5)).install("shop", "zh", data, encoders, Double.NaN);
        assertTrue(other.origin().startsWith("trained"), "other settings, other head: " + other.origin());
    }

    private static IntentHeads heads(Path dir, IntentTrainer.Options training) {
        return new IntentHeads(dir, executor, new IntentHeads.Settings(0.7, training, 3));
    }
}
