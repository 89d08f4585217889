package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.ActionCall;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shopper who changes language in the middle of a flow hears every reply in the new language: the
 * product, colour and promotion names included, not the names the flow worked out in the first one.
 */
class MidFlowLanguageTest {

    private static final Pattern HAN = Pattern.compile("\\p{IsHan}+");
    private static final Pattern LATIN_WORD = Pattern.compile("(?<![A-Za-z0-9@.-])[A-Za-z]{3,}(?![A-Za-z0-9@-])");

    static List<String> han(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = HAN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static List<String> latinWords(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = LATIN_WORD.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The flow's part of a reply (the harness answers FAQ questions with a placeholder "FAQ:id"). */
    static String flowPart(String text, String marker) {
        int i = text.indexOf(marker);
        assertTrue(i >= 0, "the flow resumes with \"" + marker + "\": " + text);
        return text.substring(i);
    }

    @Test
    void chineseThenEnglishNamesThePolishInEnglish() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
        Turn t = h.say("给我换个棕色的……不，黑色的吧");
        assertTrue(t.text().contains("黑色鞋油"), t.text());
        t = h.say("Do you ship abroad?", Intent.FAQ, "ship-abroad", 0.95);
        assertEquals("en", t.lang());
        String flow = flowPart(t.text(), "Back to your");
        assertTrue(flow.contains("black shoe polish") && flow.contains("black in size 42"), flow);
        assertEquals(List.of(), han(t.text()), t.text());
        t = h.say("yes");
        assertEquals("completed", t.flow().getString("status"));
        assertTrue(t.text().contains("black shoe polish"), t.text());
        assertEquals(List.of(), han(t.text()), t.text());
        ActionCall exchange = h.calls.get(h.calls.size() - 1);
        assertEquals("exchange_item", exchange.action());
        assertEquals("black shoe polish", exchange.params().getJsonObject("promotion").getString("giftName"),
                "the merchant's system hears the gift named in the shopper's language");
    }

    @Test
    void englishThenChineseNamesTheShoesAndThePolishInChinese() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("Where is my order DX1001?", Intent.FLOW, "order-status", 0.9);
        Turn t = h.say("black please");
        assertTrue(t.text().contains("black shoe polish"), t.text());
        t = h.say("包邮吗", Intent.FAQ, "free-shipping", 0.95);
        assertEquals("zh", t.lang());
        String flow = flowPart(t.text(), "我们继续刚才的");
        assertTrue(flow.contains("黑色42码的经典系带真皮皮鞋") && flow.contains("黑色鞋油"), flow);
        assertEquals(List.of(), latinWords(flow), flow);
        assertEquals("get_order", h.calls.get(h.calls.size() - 1).action(), "the order is fetched again in Chinese");
        assertEquals("zh", h.calls.get(h.calls.size() - 1).params().getString("language"));
        t = h.say("好的");
        assertTrue(t.text().contains("黑色鞋油"), t.text());
        assertEquals(List.of(), latinWords(t.text().replaceAll("EX-\\d+", "")), t.text());
    }

    @Test
    void aLanguageNeutralMessageKeepsTheConversationsLanguageAndFetchesNothingAgain() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("Where is my order DX1001?", Intent.FLOW, "order-status", 0.9);
        h.say("black please");
        int calls = h.calls.size();
        Turn t = h.say("42");
        assertEquals("en", t.lang());
        assertEquals(calls, h.calls.size(), "no language change, nothing fetched again");
        assertEquals(List.of(), han(t.text()), t.text());
    }

    @Test
    void aSuspendedFlowResumedInAnotherLanguageFetchesItsOrderAgain() {
        DialogueHarness h = DialogueHarness.demo();
        h.say("Where is my order DX1001?", Intent.FLOW, "order-status", 0.9);
        h.say("I need to change my delivery address", Intent.FLOW, "change-address", 0.9);
        assertEquals("change-address", h.state.active.flow);
        h.say("杭州市西湖区文一路200号");
        Turn t = h.say("确认");
        assertTrue(t.text().contains("地址已修改") && t.text().contains("我们继续刚才的缺货换款"), t.text());
        assertTrue(t.text().contains("皮鞋缺货"), "the resumed flow names the shoes in Chinese: " + t.text());
        assertEquals(List.of(), latinWords(t.text().replaceAll("DX\\d+", "")), t.text());
    }
}
