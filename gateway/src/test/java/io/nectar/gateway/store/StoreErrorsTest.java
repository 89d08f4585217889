package io.nectar.gateway.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each mistake in a store directory is one line naming the file, the line and column where known, and the fix. */
class StoreErrorsTest {

    static final String LINE = "{\"id\":\"ship\",\"lang\":\"en\",\"question\":\"When do you ship?\",\"answer\":\"In 2 days.\"}";

    static String error(Path dir) {
        StoreException e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(dir).load());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().contains("Fix: "), "says how to fix it: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badJsonOnLineThreeIsReportedAtLineThreeAndItsColumn(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("shop"));
        Files.writeString(dir.resolve("faq.jsonl"), LINE + "\n" + LINE.replace("ship", "pay") + "\n"
                + "{\"id\":\"gift\",\"lang\":\"en\",\"question\":\"gift wrap?\",\"answer\":\"Yes\",}\n");
        String m = error(dir);
        assertTrue(m.startsWith(dir + "/faq.jsonl line 3, column "), m);
        assertTrue(m.contains("not valid JSON"), m);
        assertFalse(m.contains("line: 1"), "not the parser's own line of the one-line document: " + m);
    }

    @Test
    void aDirectoryNameThatIsNoMerchantIdIsNotReportedAsAStoreYaml(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("my shop"));
        Files.writeString(dir.resolve("faq.jsonl"), LINE + "\n");
        String m = error(dir);
        assertFalse(m.contains("store.yaml:"), m);
        assertTrue(m.startsWith(dir + ": the directory's name 'my shop'"), m);
        assertTrue(m.contains("'my-shop'"), "suggests a name: " + m);
        Files.writeString(dir.resolve("store.yaml"), "merchant: my-shop\n");
        assertEquals("my-shop", new DirectoryStoreSource(dir).load().get(0).merchantId(), "the fix it gives works");
    }

    @Test
    void aStoreWithoutAnFaqFileIsRefused(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        String m = error(dir);
        assertTrue(m.startsWith(dir + ": no faq.yaml or faq.jsonl"), m);
        Files.writeString(dir.resolve("faq.jsonl"), "\n\n");
        m = error(dir);
        assertTrue(m.contains("no FAQ entries"), m);
    }

    @Test
    void aDuplicateIdAndLanguageIsRefusedWithBothLines(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("dupes"));
        Files.writeString(dir.resolve("faq.jsonl"), LINE + "\n" + LINE.replace("ship\",\"lang\":\"en", "ship\",\"lang\":\"zh") + "\n"
                + LINE.replace("In 2 days.", "In 3 days.") + "\n");
        String m = error(dir);
        assertTrue(m.startsWith(dir + "/faq.jsonl line 3: entry 'ship' already has its 'en' question on line 1"), m);
    }

    @Test
    void aYamlSyntaxErrorHasItsLineAndColumn(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("yaml"));
        Files.writeString(dir.resolve("faq.yaml"), "- id: a\n  questions: {en: [hi]}\n  answer: {en: hello}\n- id: b\n  questions: {en: [yo}\n");
        String m = error(dir);
        assertTrue(m.startsWith(dir + "/faq.yaml line 5, column "), m);
        assertTrue(m.contains("not valid YAML"), m);
    }
}
