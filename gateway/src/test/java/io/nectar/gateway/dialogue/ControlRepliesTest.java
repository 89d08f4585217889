package io.nectar.gateway.dialogue;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short answers with nothing to answer: a stale "确认" or "yes", "never mind" outside any flow, and what
 * the fallback says once the conversation waits for a person.
 */
class ControlRepliesTest {

    @Test
    void aConfirmationAfterTheExchangeIsDoneIsToldThereIsNothingToConfirm() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        h.say("黑色");
        Turn t = h.say("确认");
        assertEquals("completed", t.flow().getString("status"));
        int calls = h.calls.size();
        // the classifier reads "确认" as a goodbye (as the demo's head did): a stale button must not say goodbye
        t = h.say("确认", Intent.FAQ, "smalltalk-goodbye", 0.99);
        assertEquals("nothing_to_confirm", t.intent());
        assertEquals("dialogue", t.source());
        assertTrue(t.text().contains("没有需要您确认"), t.text());
        assertFalse(t.text().contains("再见"), t.text());
        assertEquals(calls, h.calls.size(), "nothing runs again");
        assertNull(t.flow());

        t = h.say("yes", Intent.FAQ, "smalltalk-greeting", 0.85);
        assertEquals("nothing_to_confirm", t.intent());
        assertTrue(t.text().contains("nothing waiting for your confirmation"), t.text());
        t = h.say("no");
        assertEquals("nothing_to_confirm", t.intent());
        assertEquals(List.of(), t.suggestions());
    }

    @Test
    void thanksAreNotABareYes() {
        assertNull(Lexicon.bareYesNo("好的谢谢"));
        assertNull(Lexicon.bareYesNo("ok thanks"));
        assertNull(Lexicon.bareYesNo("yes, where is my order?"));
        assertEquals(Lexicon.YesNo.YES, Lexicon.bareYesNo("确认"));
        assertEquals(Lexicon.YesNo.YES, Lexicon.bareYesNo("Yes!"));
        assertEquals(Lexicon.YesNo.NO, Lexicon.bareYesNo("不用"));
        DialogueHarness h = DialogueHarness.demo();
        Turn t = h.say("好的谢谢", Intent.FAQ, "smalltalk-thanks", 0.95);
        assertEquals("smalltalk-thanks", t.intent());
    }

    @Test
    void neverMindOutsideAFlowIsNeitherAGoodbyeNorAFallback() {
        for (String text : List.of("never mind", "算了", "forget it")) {
            DialogueHarness h = DialogueHarness.demo();
            Turn t = h.say(text, Intent.FAQ, "smalltalk-goodbye", 0.96);
            assertEquals("cancel", t.intent(), text);
            assertEquals("dialogue", t.source(), text);
            assertEquals(List.of(), t.suggestions(), text);
            assertTrue(t.text().contains("anything else") || t.text().contains("还有什么可以帮您"), t.text());
            assertFalse(t.text().contains("goodbye") || t.text().contains("再见"), t.text());
        }
    }

    @Test
    void aLongerMessageWithACancelWordIsStillAnswered() {
        DialogueHarness h = DialogueHarness.demo();
        Turn t = h.say("这双鞋我不要了，怎么退货", Intent.FAQ, "return-policy", 0.9);
        assertEquals("return-policy", t.intent());
    }

    @Test
    void yesToTheFallbacksOfferHandsOffAndNoDeclinesIt() {
        DialogueHarness h = DialogueHarness.demo();
        Turn t = h.say("what is the meaning of life");
        assertTrue(t.handoffOffered());
        t = h.say("yes");
        assertEquals("requested", t.handoffReason());
        assertEquals("talk-to-human", t.intent());

        h = DialogueHarness.demo();
        h.say("what is the meaning of life");
        t = h.say("no thanks");
        assertEquals("cancel", t.intent());
        assertNull(t.handoffReason());
        assertTrue(t.text().contains("anything else"), t.text());
    }

    @Test
    void onceHandedOffTheFallbackSaysTheAgentWillReplyAndOffersNothing() {
        DialogueHarness h = DialogueHarness.demo();
        assertEquals("requested", h.say("转人工").handoffReason());
        Turn t = h.say("咕噜咕噜");
        assertEquals("fallback", t.source());
        assertFalse(t.handoffOffered());
        assertFalse(t.text().contains("需要为您转接人工客服吗"), t.text());
        assertTrue(t.text().contains("人工客服") && t.text().contains("尽快回复"), t.text());
        t = h.say("blah blah blah");
        assertFalse(t.handoffOffered());
        assertTrue(t.text().contains("human agent has our conversation"), t.text());
        assertFalse(t.text().contains("Shall I connect"), t.text());
    }
}
