package io.nectar.nlu.intent;

import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Real encoders and small labelled data shared by the intent tests. */
final class Fixtures {

    private Fixtures() {
    }

    static List<IntentExample> examples(String name) {
        try {
            return IntentExample.readJsonl(Path.of(Fixtures.class.getResource("/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An executor over the bundled MiniLM and bge-small-zh encoders, no cache. */
    static EncoderExecutor executor() {
        return new EncoderExecutor(List.of(SentenceEncoder.load(EncoderSpec.MINILM_L6, 1),
                SentenceEncoder.load(EncoderSpec.BGE_SMALL_ZH, 1)),
                new EncoderExecutor.Options(2, 1024, 32, 2000, 0));
    }

    static Map<String, float[]> vectors(EncoderExecutor executor, String encoder, String text) {
        return Map.of(encoder, executor.encode(encoder, text).join());
    }

    /** Training options that keep a test quick and deterministic. */
    static IntentTrainer.Options options() {
        return IntentTrainer.Options.DEFAULT.withThreads(2);
    }
}
