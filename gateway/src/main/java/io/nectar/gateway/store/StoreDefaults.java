package io.nectar.gateway.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a store says when its store.yaml leaves a line out: a greeting naming the store, in each of its
 * languages (Chinese for {@code zh}, English for every other). Pure.
 */
public final class StoreDefaults {

    private StoreDefaults() {
    }

    /** "您好，欢迎光临{name}！请问有什么可以帮您？" / "Hi, welcome to {name}! How can I help you?" per language. */
    public static Localized greeting(Localized name, List<String> languages, String defaultLanguage) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String lang : languages) {
            String n = name.get(lang, defaultLanguage);
            out.put(lang, "zh".equals(lang) ? "您好，欢迎光临" + n + "！请问有什么可以帮您？" : "Hi, welcome to " + n + "! How can I help you?");
        }
        return new Localized(out);
    }
}
