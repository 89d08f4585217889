package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.ActionCall;
import io.nectar.gateway.action.ActionResult;
import io.nectar.gateway.action.DemoBackend;
import io.nectar.gateway.knowledge.Answer;
import io.nectar.gateway.store.ClasspathStoreSource;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.nlu.Language;
import io.nectar.nlu.entity.EntityExtractor;
import io.nectar.nlu.entity.Gazetteer;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Drives the dialogue engine without sockets or models: the test says which intent a message has (as a
 * classifier would), entities come from the real extractor, actions from the real demo backend or a
 * function standing in for the merchant's system.
 */
final class DialogueHarness {

    static final Store DEMO = SmallTalk.addTo(ClasspathStoreSource.DEMO.load().get(0));

    final Store store;
    final DialogueEngine engine = new DialogueEngine();
    final EntityExtractor extractor;
    final Function<ActionCall, ActionResult> actions;
    final List<ActionCall> calls = new ArrayList<>();
    DialogueState state = new DialogueState();
    Turn last;
    String language;

    DialogueHarness(Store store, Function<ActionCall, ActionResult> actions) {
        this.store = store;
        this.actions = actions;
        this.extractor = new EntityExtractor(gazetteer(store));
    }

    static DialogueHarness demo() {
        DemoBackend backend = new DemoBackend(DEMO);
        return new DialogueHarness(DEMO, backend::run);
    }

    static Gazetteer gazetteer(Store store) {
        Gazetteer.Builder g = Gazetteer.builder().currency(store.currency()).orderIdPattern(store.orderIdPattern());
        store.colors().forEach((key, byLang) -> byLang.values().forEach(names -> g.color(key, names)));
        store.products().forEach(p -> {
            List<String> names = new ArrayList<>(p.title().texts().values());
            p.keywords().values().forEach(names::addAll);
            g.product(p.sku(), p.variants().stream().map(v -> v.sku()).toList(), names);
            p.variants().forEach(v -> g.size(v.size()));
        });
        return g.build();
    }

    /** A message the classifier did not understand. */
    Turn say(String text) {
        return say(text, null, null, 0.1);
    }

    /** A message the classifier read as {@code kind}/{@code id} with this confidence. */
    Turn say(String text, String kind, String id, double confidence) {
        String lang = text.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) ? "zh" : "en";
        List<Intent> intents = kind == null ? List.of() : List.of(new Intent(kind, id, confidence));
        Answer answer;
        if (kind != null && confidence >= 0.5 && Intent.FAQ.equals(kind)) {
            answer = new Answer("faq", id, id, "FAQ:" + id, confidence, 0.8, lang, List.of());
        } else if (kind != null && confidence >= 0.5 && Intent.PRODUCT.equals(kind)) {
            answer = new Answer("product", id, "product_inquiry", "PRODUCT:" + id, confidence, 0.8, lang, List.of());
        } else {
            answer = new Answer("fallback", null, "out_of_scope", "FALLBACK", confidence, 0.2, lang, List.of());
        }
        Understanding u = new Understanding(text, lang, intents, answer,
                extractor.extract(text, Language.fromCode(lang), LocalDate.of(2026, 11, 25)));
        if (language != null && !language.equals(lang) && u.languageNeutral()) {
            u = u.inLanguage(language); // as the connection does for "DX1001"
        }
        language = u.lang();
        Turn t = engine.begin(store, state, u, "conv-1");
        while (t.pending() != null) {
            ActionCall c = t.pending();
            calls.add(c);
            engine.resume(t, actions.apply(c));
        }
        // the state goes through JSON between messages, as a session store keeps it
        state = DialogueState.fromJson(new JsonObject(t.state().toJson().encode()));
        last = t;
        return t;
    }
}
