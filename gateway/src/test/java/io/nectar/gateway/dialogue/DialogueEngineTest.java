package io.nectar.gateway.dialogue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DialogueEngineTest {

    @Test
    void seedDialogueZh() {
        DialogueHarness h = DialogueHarness.demo();
        Turn t = h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        System.out.println(t.text() + " " + t.flow());
        System.out.println(h.calls + " " + h.state.toJson());
        t = h.say("给我换个棕色的……不，黑色的吧");
        System.out.println(t.text() + " " + t.flow());
        t = h.say("好的");
        System.out.println(t.text() + " " + t.flow());
    }
}
