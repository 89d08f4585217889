package io.nectar.gateway.dialogue;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LexiconTest {

    @Test
    void aRequestForAPersonHandsOffAQuestionAboutTheBotDoesNot() {
        for (String request : List.of("I want to talk to a human", "Can I speak to a real person?", "I want a real person",
                "human agent please", "real person", "real person please", "connect me to an agent", "let me speak with someone",
                "transfer me to a human", "I need a real person", "转人工", "我要人工客服", "人工", "找人工客服", "给我接人工服务吧",
                "I need to talk to someone on the phone")) {
            assertTrue(Lexicon.isHumanRequest(request), request);
        }
        for (String question : List.of("are you a real person?", "am i speaking with a real person", "could you be a real person",
                "can you act and think like a real person", "are you human?", "is this a real person or a bot",
                "what does a human resources person do", "你是人工客服吗", "是人工客服吗", "你是不是真人", "are you ai or a real person please",
                "do i have to talk to someone to close an account or can i in the app",
                "Do I need to speak to a representative to change my pin?")) {
            assertFalse(Lexicon.isHumanRequest(question), question);
        }
    }

    @Test
    void aCancelWordInsideAComplaintOrAStatementIsNoCancel() {
        for (String cancel : List.of("算了", "不用了", "不用了谢谢", "那不用了", "发票不开了", "我不开了", "先不开了", "算了不要了", "never mind")) {
            assertTrue(Lexicon.isCancel(cancel), cancel);
        }
        // "won't open" is a complaint about a page, and a number "no longer used" is a fact, not "never mind"
        for (String statement : List.of("订单页面打不开了", "花呗怎么就打不开了什么原因", "链接点不开了", "以前号码不用了花呗怎么办",
                "这张卡不用了怎么解绑", "旧手机不用了")) {
            assertFalse(Lexicon.isCancel(statement), statement);
        }
        // a later cancel in the same message still counts
        assertTrue(Lexicon.isCancel("页面打不开了，算了"));
        // inside a question a cancel word is part of what is asked; opening the message, it still cancels
        for (String question : List.of("不用了怎么关上花呗", "为什么借呗我不用了", "运费怎么算了两次", "你们多算了我二十块钱",
                "我自己算了一下应该还三百", "账户手机号已经不用了",
                "is there no need to sign for it?")) {
            assertFalse(Lexicon.isCancel(question), question);
        }
        for (String cancel : List.of("算了，怎么退货？", "算了吧，我还是关掉花呗吧", "那就算了", "never mind, what are your hours?")) {
            assertTrue(Lexicon.isCancel(cancel), cancel);
        }
    }

    @Test
    void complaintWordsThatNameGoodsOrFamilyOrReportFraudAreNoComplaint() {
        for (String complaint : List.of("太差了，我要投诉", "什么垃圾客服", "滚", "滚开", "他妈的怎么还没发货", "this is a scam",
                "I will call my lawyer", "this is fraud!", "you guys are frauds", "what a fraud", "fraud", "Fraud!!", "你们这是欺诈")) {
            assertTrue(Lexicon.isComplaint(complaint), complaint);
        }
        for (String plain : List.of("垃圾袋有货吗", "有没有带盖的垃圾桶", "滚筒洗衣机多少钱", "滚轮坏了能换吗", "等等，这个号码是我妈的",
                "tell me a joke about a lawyer", "how do i report fraud on my card", "i think there has been fraud on my card",
                "someone made fraudulent charges with my card", "is there fraud protection when i pay?", "付款有反欺诈保护吗")) {
            assertFalse(Lexicon.isComplaint(plain), plain);
        }
    }
}
