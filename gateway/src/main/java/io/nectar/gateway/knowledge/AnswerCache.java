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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Understandings of questions asked before, so a repeated question skips language identification, the
 * encoders, the index and the intent head. Keyed by the merchant, the merchant's serving state (so any
 * change of its knowledge or heads starts afresh) and the question's canonical form ({@link TextNormalizer}:
 * width, case, whitespace, trailing punctuation and particles), which is the form the encoders already
 * see. Entities belong to each message's own words: a hit asked in exactly the words of the first asking
 * reuses that asking's entities unless they hold a date (read against the day: "tomorrow"); any other hit
 * reads them again (entity extraction was a tenth of the CPU of a burst of repeated questions). Bounded
 * (least recently used goes first); any thread.
 *
 * <p>A question that is being read while the same question arrives again is read once: the later askings
 * wait for the first one's reading instead of queueing their own for the encoders ({@link #understand}).
 * At midnight thousands of shoppers ask the same few questions within the same second, before any answer
 * is cached; without this each of them took an encoder run.
 */
final class AnswerCache {

    private final Cache<Key, Understanding> cache;
    /** Readings under way, by question: as many as the search and encoder queues hold, at most. */
    private final ConcurrentHashMap<Key, CompletableFuture<Understanding>> reading = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder joined = new LongAdder();

    /** @param maximumSize questions remembered across all merchants; 0 turns the cache off */
    AnswerCache(int maximumSize) {
        this.cache = maximumSize <= 0 ? null : Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    /**
     * The understanding of {@code text}: from an earlier asking of the same canonical question, from a
     * reading of it already under way, or else from {@code read} (which caches what it reads with
     * {@link #put}). {@code canonical} is {@link #canonical} of {@code text}. A reading that fails fails
     * every asking that waited for it. Call on a search thread.
     */
    CompletableFuture<Understanding> understand(String merchantId, KnowledgeBase.Merchant state, String canonical, String text,
                                                Supplier<CompletableFuture<Understanding>> read) {
        if (canonical.isEmpty()) {
            return read.get();
        }
        Key key = new Key(merchantId, state, canonical);
        Understanding u = cache.getIfPresent(key);
        if (u != null) {
            hits.increment();
            return CompletableFuture.completedFuture(forMessage(u, state, text));
        }
        CompletableFuture<Understanding> mine = new CompletableFuture<>();
        CompletableFuture<Understanding> underWay = reading.putIfAbsent(key, mine);
        if (underWay != null) {
            joined.increment();
            return underWay.thenApply(first -> forMessage(first, state, text));
        }
        // read may have finished (and cached) between the lookup and putIfAbsent: look once more
        u = cache.getIfPresent(key);
        if (u != null) {
            reading.remove(key, mine);
            mine.complete(u);
            hits.increment();
            return CompletableFuture.completedFuture(forMessage(u, state, text));
        }
        misses.increment();
        CompletableFuture<Understanding> result;
        try {
            result = read.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((read1, failure) -> {
            reading.remove(key, mine);   // after read's put: a later asking finds the cache or this reading
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(read1);
            }
        });
        return result;
    }

    /**
     * The key text of a question ({@link TextNormalizer}), computed once per message and given to
     * {@link #reuse} and {@link #understand}; empty when the cache is off or nothing is left of the text.
     */
    String canonical(String text) {
        return cache == null ? "" : TextNormalizer.normalize(text);
    }

    /**
     * The understanding of {@code text} when it costs nothing to give: an earlier asking in exactly these
     * words whose entities hold no date, so nothing is read again. Otherwise {@code null}, and the caller
     * goes through {@link #understand} on a search thread. Any thread, the event loop included: a
     * normalisation and a map lookup, a few microseconds.
     */
    Understanding reuse(String merchantId, KnowledgeBase.Merchant state, String canonical, String text) {
        if (canonical.isEmpty()) {
            return null;
        }
        Understanding u = cache.getIfPresent(new Key(merchantId, state, canonical));
        if (u == null || !reusesEntities(u, text)) {
            return null;
        }
        hits.increment();
        return forMessage(u, state, text);
    }

    /** Whether an understanding's entities serve this message as they are: its very words, and no date in them. */
    private static boolean reusesEntities(Understanding u, String text) {
        return u.extraction() != null && text.equals(u.extraction().text()) && !u.extraction().has(EntityType.DATE);
    }

    /** An understanding of the same question, carrying this message's own words and entities. */
    private static Understanding forMessage(Understanding u, KnowledgeBase.Merchant state, String text) {
        Extraction entities = reusesEntities(u, text)
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

    /** Askings that waited for a reading of the same question already under way. */
    long joined() {
        return joined.sum();
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
