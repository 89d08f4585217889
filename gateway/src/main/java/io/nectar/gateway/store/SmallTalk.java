package io.nectar.gateway.store;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Greetings, thanks, goodbyes and "are you a bot?": answered in every store so a shopper's "你好" never
 * meets the fallback. A store overrides an entry by defining the same id in its own FAQ. Any thread.
 */
public final class SmallTalk {

    private static final List<FaqEntry> ENTRIES = load();
    private static final Set<String> IDS = ENTRIES.stream().map(FaqEntry::id).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private SmallTalk() {
    }

    private static List<FaqEntry> load() {
        ClassLoader cl = SmallTalk.class.getClassLoader();
        Store s = StoreReader.read(name -> StoreReader.FAQ.equals(name)
                ? Optional.<InputStream>ofNullable(cl.getResourceAsStream("builtin/smalltalk.yaml"))
                : Optional.empty(), "builtin");
        return s.faqs();
    }

    /**
     * Whether {@code faqId} is one of the small-talk entries (greeting, thanks, goodbye, "are you a bot?"),
     * built in or the store's own under the same id.
     */
    public static boolean isSmallTalk(String faqId) {
        return IDS.contains(faqId);
    }

    /** The ids of {@code store}'s FAQ entries that are the built-in small talk itself (not the store's own version). */
    public static Set<String> builtIn(Store store) {
        Set<String> out = new HashSet<>();
        for (FaqEntry f : store.faqs()) {
            if (ENTRIES.contains(f)) {
                out.add(f.id());
            }
        }
        return Set.copyOf(out);
    }

    /**
     * The store with the built-in small talk added where it has no entry of the same id; the store as it
     * is when it turned small talk off ({@code smallTalk: false}).
     */
    public static Store addTo(Store store) {
        if (!store.smallTalk()) {
            return store;
        }
        Set<String> own = new HashSet<>();
        store.faqs().forEach(f -> own.add(f.id()));
        List<FaqEntry> faqs = new ArrayList<>(store.faqs());
        for (FaqEntry e : ENTRIES) {
            if (!own.contains(e.id())) {
                faqs.add(e);
            }
        }
        return store.withFaqs(faqs);
    }
}
