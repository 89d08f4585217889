package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.DemoBackend;
import io.nectar.gateway.store.Store;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store without {@code agentToken}: no person can read its handoffs, so the bot never promises one. It
 * says so, with the store's hours and contact facts, queues nothing, and goes on.
 */
class NoAgentTest {

    static final Store NO_AGENTS = DialogueHarness.DEMO.withAgentToken(null);

    static DialogueHarness harness() {
        return new DialogueHarness(NO_AGENTS, new DemoBackend(NO_AGENTS)::run);
    }

    @Test
    void askingForAPersonIsToldNoneIsAvailableWithTheStoresHoursAndContact() {
        DialogueHarness h = harness();
        Turn t = h.say("转人工");
        assertEquals("requested", t.handoffReason());
        assertTrue(t.handoffUnavailable());
        assertTrue(t.text().contains("没有人工客服在线"), t.text());
        assertTrue(t.text().contains("09:00–24:00") && t.text().contains("service@stride-demo.example"), t.text());
        assertFalse(t.text().contains("正在为您转接"), t.text());
        assertFalse(h.state.handedOff(), "nothing is queued");
        assertEquals("failed", t.flow().getString("status"));

        t = h.say("I want to talk to a human agent");
        assertTrue(t.handoffUnavailable());
        assertTrue(t.text().contains("no human agent is available"), t.text());
        assertFalse(t.text().contains("already in the queue"), t.text());
    }

    @Test
    void theFallbackOffersNoPersonAndRepeatedMisunderstandingIsToldTheTruth() {
        DialogueHarness h = harness();
        Turn t = h.say("what is the meaning of life");
        assertEquals("fallback", t.source());
        assertFalse(t.handoffOffered());
        t = h.say("yes");
        assertEquals("nothing_to_confirm", t.intent(), "no offer was made");
        t = h.say("blue whales sing");
        assertEquals("fallbacks", t.handoffReason(), "the second fallback in a row");
        assertTrue(t.handoffUnavailable());
        assertTrue(t.text().contains("no human agent is available for this shop"), t.text());
        assertNull(h.state.handoff);
        t = h.say("and dolphins?");
        assertEquals("fallback", t.source(), "the run of fallbacks starts again");
    }

    @Test
    void aComplaintIsApologisedForWithoutPromisingAPerson() {
        Turn t = harness().say("你们这什么破服务，我要投诉");
        assertEquals("complaint", t.handoffReason());
        assertTrue(t.handoffUnavailable());
        assertTrue(t.text().startsWith("非常抱歉") && t.text().contains("没有人工客服在线"), t.text());
    }

    @Test
    void aFlowInProgressGoesOnAfterTheAnswer() {
        DialogueHarness h = harness();
        h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        Turn t = h.say("转人工");
        assertTrue(t.handoffUnavailable());
        assertTrue(t.text().contains("我们继续刚才的缺货换款"), t.text());
        assertEquals("exchange-out-of-stock", h.state.active.flow);
    }
}
