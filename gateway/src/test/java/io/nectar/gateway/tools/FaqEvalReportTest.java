package io.nectar.gateway.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How `ops/faq-eval` scores replies: a hand-off to a person is neither a right nor a wrong answer. */
class FaqEvalReportTest {

    private static FaqEval.Reply reply(String source, String ref) {
        return new FaqEval.Reply(source, ref, 0.9, 1000, List.of());
    }

    @Test
    void handOffsAreCountedApartFromAnswers() {
        List<FaqEval.Question> qs = List.of(
                new FaqEval.Question("where is my parcel", "track_order"),
                new FaqEval.Question("can i pay later", "pay_later"),
                new FaqEval.Question("someone stole my card", "report_fraud"),
                new FaqEval.Question("how tall is everest", "oos"),
                new FaqEval.Question("who won the match", "oos"));
        Map<String, FaqEval.Reply> replies = Map.of(
                "q0", reply("faq", "track-order"),
                "q1", reply("faq", "track-order"),          // wrong
                "q2", reply("handoff", null),               // handed to a person
                "q3", reply("fallback", null),
                "q4", reply("handoff", null));
        ObjectNode r = FaqEval.report(qs, replies, Map.of(), 1.0);
        assertEquals(1.0 / 3, r.get("top1").asDouble(), 1e-3);
        assertEquals(1.0 / 3, r.get("inScopeWrong").asDouble(), 1e-3);
        assertEquals(1.0 / 3, r.get("inScopeHandoff").asDouble(), 1e-3);
        assertEquals(0.5, r.get("oosFallback").asDouble(), 1e-3);
        assertEquals(0.5, r.get("oosHandoff").asDouble(), 1e-3);
        // answers given: the right one and the wrong one; with hand-offs as answers, four
        assertEquals(0.5, r.get("precision").asDouble(), 1e-3);
        assertEquals(0.25, r.get("precisionHandoffsAsAnswers").asDouble(), 1e-3);
    }
}
