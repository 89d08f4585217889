package io.nectar.gateway.tools;

import io.nectar.gateway.knowledge.EncoderRouter;
import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.knowledge.StoreDiagnosis;
import io.nectar.gateway.store.DirectoryStoreSource;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreException;
import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentTrainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ops/store check DIR}: reads a store directory as the gateway would, cross-validates its intent
 * heads and prints what a merchant can fix ({@link StoreDiagnosis}). Exit status 0 when the store reads,
 * 2 on a usage or store error. A command-line tool: it blocks its main thread.
 */
public final class StoreCheck {

    private StoreCheck() {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        if (args.length != 2 || !args[0].equals("check")) {
            System.err.println("usage: ops/store check DIR");
            System.exit(2);
        }
        Store store;
        try {
            store = SmallTalk.addTo(new DirectoryStoreSource(Path.of(args[1])).load().get(0));
        } catch (StoreException e) {
            System.err.println("store: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<String> languages = KnowledgeBase.languagesOf(store);
        Map<String, List<String>> byLanguage = new LinkedHashMap<>();
        languages.forEach(l -> byLanguage.put(l, l.equals("zh") ? EncoderRouter.DEFAULT_ZH : EncoderRouter.DEFAULT_OTHER));
        EncoderRouter router = new EncoderRouter(byLanguage, EncoderRouter.DEFAULT_OTHER, EncoderRouter.DEFAULT_CALIBRATIONS);
        List<SentenceEncoder> encoders = new ArrayList<>();
        for (String name : router.encodersFor(languages.isEmpty() ? List.of("en") : languages)) {
            encoders.add(SentenceEncoder.load(EncoderSpec.bundled(name), 1));
        }
        try (EncoderExecutor executor = new EncoderExecutor(encoders, EncoderExecutor.Options.DEFAULT)) {
            System.out.printf("store %s: %d FAQ entries, %d flows, languages %s, answer precision %.2f%s%n", store.merchantId(),
                    store.faqs().size(), store.flows().flows().size(), languages, store.answerPrecisionOrDefault(),
                    store.enforcesAnswerPrecision() ? "" : " (not set in store.yaml: reported, not enforced)");
            System.out.print(StoreDiagnosis.text(StoreDiagnosis.check(store, executor, router, IntentTrainer.Options.DEFAULT)));
        } finally {
            encoders.forEach(SentenceEncoder::close);
        }
        System.exit(0);
    }
}
