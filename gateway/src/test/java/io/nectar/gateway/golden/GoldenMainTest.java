package io.nectar.gateway.golden;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ops/golden --store DIR SCRIPTS}: a merchant's own store and scripts, one command, an exit code. */
class GoldenMainTest {

    @Test
    void playsAMerchantsScriptsAgainstItsStoreAndFailsOnAWrongExpectation(@TempDir Path tmp) throws Exception {
        Path store = Files.createDirectories(tmp.resolve("tea-house"));
        Files.writeString(store.resolve("faq.yaml"), """
                - id: opening
                  questions: {en: ["When are you open?", "opening hours", "what time do you open"]}
                  answer: {en: "Every day from 8 to 20."}
                """);
        Files.writeString(store.resolve("flows.yaml"), """
                flows:
                  - id: book-table
                    name: {en: table booking}
                    triggers: {en: ["I'd like to book a table", "reserve a table", "table for tonight"]}
                    slots:
                      - {name: day, type: date, prompt: {en: "For which day?"}}
                      - {name: people, type: quantity, prompt: {en: "For how many people?"}}
                    confirm: {en: "A table for {{people}} on {{day}}?"}
                    reply: {en: "Booked for {{people}}."}
                """);
        Path scripts = Files.createDirectories(tmp.resolve("scripts"));
        Files.writeString(scripts.resolve("a-booking.yaml"), """
                name: booking
                steps:
                  - shopper: I'd like to book a table for tomorrow
                    expect: {source: flow, flow: book-table, step: people}
                  - shopper: 4 people
                    expect: {step: confirm, slots: {people: "4"}}
                  - shopper: "yes"
                    expect: {status: completed, says: [Booked for 4]}
                """);
        Files.writeString(scripts.resolve("b-wrong.yaml"), """
                name: a wrong expectation
                steps:
                  - shopper: When are you open?
                    expect: {intent: opening, says: [midnight]}
                """);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = GoldenMain.run(new String[]{"--store", store.toString(), scripts.toString()},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, out);
        assertTrue(out.contains("PASS booking"), out);
        assertTrue(out.contains("FAIL a wrong expectation"), out);
        assertTrue(out.contains("says: reply lacks \"midnight\""), out);
        assertTrue(out.contains("scripts: 1 passed, 1 failed"), out);

        assertEquals(2, GoldenMain.run(new String[]{"--store", store.toString()}, new PrintStream(new ByteArrayOutputStream())),
                "no scripts is a usage error");
    }
}
