package io.nectar.gateway.tools;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LexiconCheckTest {

    @Test
    void readsEveryQuestionFieldOnceAcrossFiles() throws Exception {
        Path dir = Files.createTempDirectory("lexicon-check");
        Path pairs = Files.writeString(dir.resolve("pairs.jsonl"),
                "{\"text_a\": \"花呗打不开了\", \"text_b\": \"为啥花呗打不开了\", \"label\": 1}\n\n");
        Path intents = Files.writeString(dir.resolve("intents.jsonl"),
                "{\"text\": \"never mind\", \"intent\": \"cancel\"}\n{\"text\": \"花呗打不开了\", \"intent\": \"x\"}\n");
        assertEquals(Set.of("花呗打不开了", "为啥花呗打不开了", "never mind"), LexiconCheck.read(List.of(pairs, intents)));
    }
}
