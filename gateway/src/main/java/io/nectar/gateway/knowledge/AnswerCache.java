package io.nectar.gateway.knowledge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nectar.gateway.dialogue.Understanding;
import io.nectar.nlu.Language;
import io.nectar.nlu.TextNormalizer;
import io.nectar.nlu.entity.EntityType;
import io.nectar.nlu.entity.Extraction;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Understandings of questions asked before, so a repeated question skips language identification, the
 * encoders, the index and the intent head. Keyed by the merchant, the merchant's serving state (so any
 * change of its knowledge or heads starts afresh) and the question's canonical form ({@link TextNormalizer}:
 * width, case, whitespace, trailing punctuation and particles), which is the form the encoders already
 * see. Entities belong to each message's own words: a hit asked in exactly the words of the first asking
 * reuses that asking's entities unless they hold a date (read against the day: "tomorrow"); any other hit
 * reads them again (entity extraction was a tenth of the CPU of a burst of repeated questions). Bounded
 * (least recently used goes first); any thread.
 */
final class AnswerCache {

    private final Cache<Key, Understanding> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** @param maximumSize questions remembered across all merchants; 0 turns the cache off */
    AnswerCache(int maximumSize) {
        this.cache = maximumSize <= 0 ? null : Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /** The understanding of an earlier question with the same canonical form, for this message; or null. */
    Understanding get(String merchantId, KnowledgeBase.Merchant state, String text) {
        if (cache == null) {
            return null;
        }
        String canonical = TextNormalizer.normalize(text);
        Understanding u = canonical.isEmpty() ? null : cache.getIfPresent(new Key(merchantId, state, canonical));
        if (u == null) {
            misses.increment();
            return null;
        }
        hits.increment();
        Extraction entities = u.extraction() != null && text.equals(u.extraction().text()) && !u.extraction().has(EntityType.DATE)
                ? u.extraction()
                : state.extractor().extract(text, Language.fromCode(u.lang()), LocalDate.now());
        return new Understanding(text, u.lang(), u.intents(), u.answer(), entities);
    }

    void put(String merchantId, KnowledgeBase.Merchant state, String text, Understanding u) {
        String canonical = TextNormalizer.normalize(text);
        if (cache != null && !canonical.isEmpty()) {
            cache.put(new Key(merchantId, state, canonical),
                    new Understanding(canonical, u.lang(), List.copyOf(u.intents()), u.answer(), u.extraction()));
        }
    }

    /** Drops a merchant's entries: its serving state changed (they could never be hit again anyway). */
    void forget(String merchantId) {
        if (cache != null) {
            cache.asMap().keySet().removeIf(k -> k.merchantId.equals(merchantId));
        }
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    /** The serving state compares by identity: a new state is a new key space. */
    private static final class Key {
        final String merchantId;
        final KnowledgeBase.Merchant state;
        final String canonical;
        final int hash;

        Key(String merchantId, KnowledgeBase.Merchant state, String canonical) {
            this.merchantId = merchantId;
            this.state = state;
            this.canonical = canonical;
            this.hash = Objects.hash(merchantId, System.identityHashCode(state), canonical);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.state == state && k.merchantId.equals(merchantId) && k.canonical.equals(canonical);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
