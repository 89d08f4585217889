package io.nectar.gateway.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreReaderTest {

    @Test
    void theDemoStoreIsComplete() {
        Store demo = ClasspathStoreSource.DEMO.load().get(0);
        assertEquals("demo", demo.merchantId());
        assertTrue(demo.faqs().size() >= 40, "at least 40 FAQ entries");
        for (FaqEntry f : demo.faqs()) {
            for (String lang : List.of("zh", "en")) {
                assertTrue(f.questions().getOrDefault(lang, List.of()).size() >= 3, f.id() + " has paraphrases in " + lang);
                assertTrue(f.answer().has(lang), f.id() + " answers in " + lang);
            }
        }
        assertTrue(demo.products().size() >= 20);
        assertTrue(demo.products().stream().allMatch(p -> !p.variants().isEmpty()));
        assertTrue(demo.promotions().size() >= 2);
        Product shoes = demo.product("SH-LS-001");
        assertEquals(List.of("brown", "black"), List.copyOf(shoes.colorsInStock()));
        assertTrue(shoes.variants().stream().anyMatch(v -> v.color().equals("red") && v.stock() == 0));
    }

    @Test
    void aDirectoryWithOnlyFaqJsonlIsAStoreNamedAfterIt(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("acme-shoes"));
        Files.writeString(dir.resolve("faq.jsonl"), """
                {"id":"ship","question":"When do you ship?","paraphrases":["shipping time?"],"answer":"Within 2 days.","lang":"en"}

                {"id":"ship","question":"什么时候发货","answer":"两天内发货。","lang":"zh"}
                {"id":"pay","question":"How can I pay?","answer":"By card.","lang":"en"}
                """);
        Store s = new DirectoryStoreSource(dir).load().get(0);
        assertEquals("acme-shoes", s.merchantId());
        assertEquals(2, s.faqs().size());
        FaqEntry ship = s.faq("ship");
        assertEquals(List.of("When do you ship?", "shipping time?"), ship.questions().get("en"));
        assertEquals("两天内发货。", ship.answer().get("zh", "en"));
        assertEquals(List.of("en", "zh"), s.languages());
        assertEquals("en", s.defaultLanguage());
    }

    @Test
    void storeYamlNamesTheMerchantAndJsonlAddsToYamlEntries(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("folder"));
        Files.writeString(dir.resolve("store.yaml"), "merchant: real-id\ndefaultLanguage: zh\nlanguages: [zh, en]\n"
                + "facts:\n  hours: {zh: 九点到五点, en: nine to five}\n");
        Files.writeString(dir.resolve("faq.yaml"), """
                - id: hours
                  questions: {zh: [几点上班]}
                  answer: {zh: "客服时间：{{hours}}"}
                """);
        Files.writeString(dir.resolve("faq.jsonl"),
                "{\"id\":\"hours\",\"question\":\"When are you open?\",\"answer\":\"We are open {{hours}}.\",\"lang\":\"en\"}\n");
        Files.writeString(dir.resolve("products.yaml"), """
                - sku: X-1
                  title: {en: Boot}
                  price: 10
                  variants: [{sku: X-1-B, color: black, size: "40", stock: 2}]
                """);
        Store s = new DirectoryStoreSource(dir).load().get(0);
        assertEquals("real-id", s.merchantId());
        FaqEntry hours = s.faq("hours");
        assertEquals(List.of("几点上班"), hours.questions().get("zh"));
        assertEquals(List.of("When are you open?"), hours.questions().get("en"));
        assertEquals(new BigDecimal("10"), s.product("X-1").variants().get(0).price());
    }

    @Test
    void errorsNameTheFileAndTheEntry(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("bad"));
        Files.writeString(dir.resolve("faq.yaml"), "- id: a\n  questions: {en: [hi]}\n");
        StoreException e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(dir).load());
        assertTrue(e.getMessage().contains("faq.yaml entry 'a'") && e.getMessage().contains("answer"), e.getMessage());

        Files.writeString(dir.resolve("faq.yaml"), "- id: a\n  questions: {en: [hi}\n");
        e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(dir).load());
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());

        Files.delete(dir.resolve("faq.yaml"));
        Files.writeString(dir.resolve("faq.jsonl"), "{\"id\":\"a\",\"question\":\"hi\",\"answer\":\"yo\"}\n");
        e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(dir).load());
        assertTrue(e.getMessage().contains("faq.jsonl line 1") && e.getMessage().contains("lang"), e.getMessage());

        e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(tmp.resolve("missing")).load());
        assertTrue(e.getMessage().contains("does not exist"));
    }

    @Test
    void smallTalkIsAddedUnlessTheStoreHasItsOwn() {
        Store demo = ClasspathStoreSource.DEMO.load().get(0);
        Store with = SmallTalk.addTo(demo);
        assertTrue(with.faq("smalltalk-greeting") != null);
        Store twice = SmallTalk.addTo(with);
        assertEquals(with.faqs().size(), twice.faqs().size());
    }

    @Test
    void aStoreCanTurnTheBuiltInSmallTalkOff(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("own-small-talk"));
        Files.writeString(dir.resolve("faq.jsonl"), """
                {"id":"hello","question":"hello there","paraphrases":["good morning"],"answer":"Hi!","lang":"en"}
                {"id":"pay","question":"How can I pay?","answer":"By card.","lang":"en"}
                """);
        Files.writeString(dir.resolve("store.yaml"), "merchant: own\nsmallTalk: false\n");
        Store off = SmallTalk.addTo(new DirectoryStoreSource(dir).load().get(0));
        assertEquals(List.of("hello", "pay"), off.faqs().stream().map(FaqEntry::id).toList());

        Files.writeString(dir.resolve("store.yaml"), "merchant: own\n");
        Store on = SmallTalk.addTo(new DirectoryStoreSource(dir).load().get(0));
        assertTrue(on.faq("smalltalk-greeting") != null, "small talk is on unless turned off");

        Files.writeString(dir.resolve("store.yaml"), "merchant: own\nsmallTalk: sometimes\n");
        StoreException e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(dir).load());
        assertTrue(e.getMessage().contains("smallTalk"), e.getMessage());
    }
}
