package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.ActionCall;
import io.nectar.gateway.action.ActionResult;
import io.nectar.gateway.action.DemoBackend;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dialogue engine without sockets or models: the intent of each message is given as a classifier
 * would give it; entities, store, flows and the demo backend are the real ones.
 */
class DialogueEngineTest {

    static JsonObject flow(Turn t) {
        return t.flow();
    }

    @Test
    void theSeedDialogueTakesTheLastColourConfirmsAndOffersTheMatchingPolish() {
        DialogueHarness h = DialogueHarness.demo();
        Turn t = h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        assertEquals("您下单的皮鞋缺货，给您换一双好吗？", t.text());
        assertEquals("exchange-out-of-stock", flow(t).getString("id"));
        assertEquals("accept", flow(t).getString("step"));

        t = h.say("给我换个棕色的……不，黑色的吧");
        assertEquals("confirm", flow(t).getString("step"));
        assertEquals("black", flow(t).getJsonObject("slots").getString("color"));
        assertEquals("42", flow(t).getJsonObject("slots").getString("size"), "the size comes from the order");
        assertTrue(t.text().contains("黑色鞋油") && t.text().contains("补偿"), t.text());

        t = h.say("好的");
        assertEquals("completed", flow(t).getString("status"));
        ActionCall exchange = h.calls.get(h.calls.size() - 1);
        assertEquals("exchange_item", exchange.action());
        assertEquals("black", exchange.params().getString("color"));
        assertEquals("CARE-POL-001-BLK", exchange.params().getJsonObject("promotion").getString("giftSku"));
        assertNull(h.state.active);
    }

    @Test
    void aStatePassesThroughJsonBetweenEveryMessage() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        JsonObject json = h.state.toJson();
        DialogueState back = DialogueState.fromJson(new JsonObject(json.encode()));
        assertEquals(json, back.toJson());
        assertEquals("DX1001", back.active.slots.get("order"));
        assertTrue(back.active.vars.getJsonObject("order").getBoolean("outOfStock"));
    }

    @Test
    void anFaqQuestionMidFlowIsAnsweredAndTheFlowAsksAgain() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        h.say("好");
        Turn t = h.say("包邮吗?", Intent.FAQ, "free-shipping", 0.95);
        assertEquals("faq", t.source());
        assertEquals("free-shipping", t.intent());
        assertTrue(t.text().startsWith("FAQ:free-shipping"), t.text());
        assertTrue(t.text().contains("我们继续刚才的缺货换款") && t.text().contains("哪个颜色"), t.text());
        assertEquals("color", h.state.active.step);
        t = h.say("黑色");
        assertEquals("confirm", h.state.active.step);
    }

    @Test
    void cancellingEndsTheFlowAndForgetsIt() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我要改收货地址", Intent.FLOW, "change-address", 0.9);
        Turn t = h.say("算了");
        assertEquals("cancel", t.intent());
        assertEquals("cancelled", flow(t).getString("status"));
        assertNull(h.state.active);
        t = h.say("never mind");
        assertEquals("dialogue", t.source(), "nothing left to cancel: neither a fallback nor a goodbye");
        assertEquals("cancel", t.intent());
        assertNull(t.flow());
    }

    @Test
    void aPageThatWillNotOpenDoesNotCancelTheFlow() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我要改收货地址", Intent.FLOW, "change-address", 0.9);
        String step = h.state.active.step;
        Turn t = h.say("订单页面打不开了");
        assertNotEquals("cancel", t.intent(), "打不开了 is 'it won't open', not 不开了 'I won't after all'");
        assertNotNull(h.state.active, "the address change is still under way");
        assertEquals("change-address", h.state.active.flow);
        assertEquals(step, h.state.active.step);
    }

    @Test
    void anotherTaskSuspendsTheFlowWhichResumesAfterwards() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        h.say("好的");
        Turn t = h.say("我要改一下收货地址", Intent.FLOW, "change-address", 0.9);
        assertEquals("change-address", h.state.active.flow);
        assertEquals("DX1001", h.state.active.slots.get("order"), "the order carries over from the context");
        assertEquals(1, h.state.suspended.size());
        h.say("杭州市西湖区文一路200号");
        t = h.say("确认");
        assertTrue(t.text().contains("地址已修改") && t.text().contains("我们继续刚才的缺货换款"), t.text());
        assertEquals("exchange-out-of-stock", h.state.active.flow);
        assertEquals("color", h.state.active.step);
    }

    @Test
    void aCorrectionAtTheConfirmationChangesTheSlotAndConfirmsAgain() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("Where is my order DX1001?", Intent.FLOW, "order-status", 0.9);
        h.say("black please");
        Turn t = h.say("actually, brown");
        assertEquals("confirm", h.state.active.step);
        assertEquals("brown", h.state.active.slots.get("color"));
        assertTrue(t.text().contains("brown shoe polish"), t.text());
    }

    @Test
    void aColourThatIsOutOfStockIsRefusedWithTheOptions() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        Turn t = h.say("红色的");
        assertTrue(t.text().contains("红色的也没有货") && t.text().contains("棕色和黑色"), t.text());
        assertEquals("color", h.state.active.step);
        assertNull(h.state.active.slots.get("color"));
    }

    @Test
    void complaintWordsHandOffAtOnceKeepingTheFlow() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我要改收货地址", Intent.FLOW, "change-address", 0.9);
        h.say("DX1004");
        Turn t = h.say("你们这什么破服务，我要投诉");
        assertEquals("complaint", t.handoffReason());
        assertEquals("handoff", t.source());
        assertTrue(h.state.handedOff());
        assertEquals("DX1004", h.state.suspended.get(0).slots.get("order"), "the agent sees the slots collected");
    }

    @Test
    void twoFallbacksInARowHandOff() {
        DialogueHarness h = DialogueHarness.demo();
        Turn t = h.say("what is the meaning of life");
        assertEquals("fallback", t.source());
        assertNull(t.handoffReason());
        assertTrue(t.handoffOffered());
        t = h.say("blue whales sing");
        assertEquals("fallbacks", t.handoffReason());
        t = h.say("and dolphins?");
        assertNull(t.handoffReason(), "handed off once");
        assertEquals("fallback", t.source());
    }

    @Test
    void anUnderstoodMessageResetsTheFallbackRun() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("what is the meaning of life");
        h.say("Is shipping free?", Intent.FAQ, "free-shipping", 0.9);
        Turn t = h.say("blue whales sing");
        assertNull(t.handoffReason());
    }

    @Test
    void repeatedMisunderstandingInAFlowHandsOff() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("I need to change my delivery address", Intent.FLOW, "change-address", 0.9);
        assertNull(h.say("hmm").handoffReason());
        assertNull(h.say("la la la").handoffReason());
        assertEquals("misunderstanding", h.say("whatever").handoffReason());
    }

    @Test
    void thisOneRefersToTheProductLastDiscussed() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("经典系带真皮皮鞋有什么颜色", Intent.PRODUCT, "SH-LS-001", 0.9);
        assertEquals("SH-LS-001", h.state.context.get("product"));
        Turn t = h.say("那双黑色的有42码吗", Intent.FAQ, "stock-check", 0.8);
        assertEquals("stock-check", flow(t).getString("id"));
        assertEquals("SH-LS-001", flow(t).getJsonObject("slots").getString("product"));
        assertTrue(t.text().contains("黑色") && t.text().contains("有货"), t.text());
        t = h.say("这个多少钱", Intent.FAQ, "free-shipping", 0.9);
        assertEquals("product", t.source(), "a price question about 'this' is about the product, not shipping");
        assertEquals("SH-LS-001", t.ref());
    }

    @Test
    void anUnknownOrderIsAskedForAgain() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("帮我查一下订单", Intent.FLOW, "order-status", 0.9);
        Turn t = h.say("DX9999");
        assertTrue(t.text().contains("没有找到订单 DX9999"), t.text());
        assertEquals("order", h.state.active.step);
        t = h.say("DX1003");
        assertEquals("completed", flow(t).getString("status"));
    }

    @Test
    void whenTheMerchantsSystemIsDownTheSlotsAreKeptAndRetryRunsTheSameRequest() {
        DemoBackend demo = new DemoBackend(DialogueHarness.DEMO);
        boolean[] down = {true};
        List<String> keys = new ArrayList<>();
        DialogueHarness h = new DialogueHarness(DialogueHarness.DEMO, call -> {
            if (call.action().equals("change_address")) {
                keys.add(call.idempotencyKey());
                if (down[0]) {
                    return ActionResult.unavailable("connection refused");
                }
            }
            return demo.run(call);
        });
        h.say("我要改收货地址", Intent.FLOW, "change-address", 0.9);
        h.say("DX1004");
        h.say("广州市天河区天河路385号");
        Turn t = h.say("确认");
        assertTrue(t.text().contains("暂时没有响应") && t.text().contains("重试"), t.text());
        assertEquals("retry", h.state.active.step);
        assertEquals("广州市天河区天河路385号", h.state.active.slots.get("address"), "nothing the shopper said is lost");
        down[0] = false;
        t = h.say("重试");
        assertEquals("completed", flow(t).getString("status"));
        assertTrue(t.text().contains("地址已修改"), t.text());
        assertEquals(2, keys.size());
        assertEquals(keys.get(0), keys.get(1), "the retry carries the same idempotency key");
    }

    @Test
    void aRefusalByTheMerchantsSystemIsToldAndEndsTheFlow() {
        DialogueHarness h = new DialogueHarness(DialogueHarness.DEMO, call -> call.action().equals("get_order")
                ? new DemoBackend(DialogueHarness.DEMO).run(call)
                : ActionResult.rejected("no_stock", "仓库刚刚售罄"));
        h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        h.say("黑色");
        Turn t = h.say("确认");
        assertTrue(t.text().contains("换货没有成功") && t.text().contains("仓库刚刚售罄"), t.text());
        assertEquals("failed", flow(t).getString("status"));
    }

    @Test
    void aConversationAlreadyHandedOffIsNotQueuedTwice() {
        DialogueHarness h = DialogueHarness.demo();
        Turn t = h.say("转人工");
        assertEquals("requested", t.handoffReason());
        t = h.say("人工客服");
        assertNull(t.handoffReason());
        assertTrue(t.text().contains("已经为您转接"), t.text());
    }

    @Test
    void aStoreWithoutFlowsStillHandsOffOnRequestAndOnAnger() {
        io.nectar.gateway.store.Store plain = DialogueHarness.DEMO.withFlows(io.nectar.gateway.store.FlowSet.NONE);
        DialogueHarness h = new DialogueHarness(plain, call -> ActionResult.unavailable("no actions"));
        Turn t = h.say("I want to talk to a human agent");
        assertEquals("requested", t.handoffReason());
        assertTrue(t.text().contains("human agent"), t.text());
        h = new DialogueHarness(plain, call -> ActionResult.unavailable("no actions"));
        assertEquals("complaint", h.say("this is a scam").handoffReason());
    }

    @Test
    void theLexiconTellsYesNoCancelAndComplaints() {
        assertEquals(Lexicon.YesNo.YES, Lexicon.yesNo("好的"));
        assertEquals(Lexicon.YesNo.YES, Lexicon.yesNo("Yes, please do!"));
        assertEquals(Lexicon.YesNo.NO, Lexicon.yesNo("不用"));
        assertNull(Lexicon.yesNo("给我换个棕色的"));
        assertTrue(Lexicon.isCancel("算了吧"));
        assertTrue(Lexicon.isCancel("never mind"));
        assertFalse(Lexicon.isCancel("怎么取消订单"), "a question about cancelling orders is not a cancel");
        assertTrue(Lexicon.isComplaint("太差了，我要投诉"));
        assertTrue(Lexicon.isComplaint("this is a scam"));
        assertFalse(Lexicon.isComplaint("包邮吗"));
        assertNotNull(Lexicon.yesNo("ok"));
    }
}
