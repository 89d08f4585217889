package io.nectar.gateway.dialogue;

/**
 * The dialogue manager's own lines, in Chinese and English (every other language hears the English):
 * re-asks, handoffs, system failures, default cancellations. A store's flows say everything else in
 * their own words. {@code %s} takes the arguments of {@link #in}.
 */
enum Phrase {
    NOT_UNDERSTOOD("抱歉，我没听明白。", "Sorry, I didn't catch that."),
    NOT_QUALIFIED("这个不符合办理条件。", "That doesn't qualify."),
    ALREADY_HANDED_OFF("已经为您转接人工客服了，请稍候，客服会尽快回复您。",
            "You're already in the queue for a human agent; they'll reply as soon as they can."),
    HANDOFF_REQUESTED("好的，正在为您转接人工客服，请稍候，我们的聊天记录会一并转给客服。",
            "Sure, I'm connecting you to a human agent; they'll see our conversation so far."),
    HANDOFF_COMPLAINT("非常抱歉给您带来不好的体验。我已为您转接人工客服，我们的聊天记录会一并转给客服，请稍候。",
            "I'm really sorry about this. I've passed you to a human agent together with our conversation so far; they'll be with you shortly."),
    HANDOFF_MISUNDERSTANDING("抱歉，我一直没能理解您的意思。我已为您转接人工客服，聊天记录会一并转过去，请稍候。",
            "Sorry, I keep missing what you need. I've passed you to a human agent with our conversation so far; please hold on."),
    SYSTEM_UNAVAILABLE("抱歉，我们的系统暂时没有响应，您刚才提供的信息我都记下了。请稍后回复“重试”，或者说“转人工”。",
            "Sorry, our system isn't responding right now. I've kept everything you told me: reply \"retry\" in a moment, or ask for a human agent."),
    RETRY_PROMPT("上次提交没有成功，要重试吗？", "The last attempt didn't go through. Shall I try again?"),
    CANCELLED("好的，已取消%s。还有什么可以帮您？", "OK, I've cancelled the %s. Anything else I can help with?"),
    RESUME("我们继续刚才的%s：", "Back to your %s:"),
    NOTHING_TO_CONFIRM("好的。目前没有需要您确认的事项，请问还有什么可以帮您？",
            "OK. There's nothing waiting for your confirmation right now. How can I help?"),
    ANYTHING_ELSE("好的。还有什么可以帮您？", "OK — anything else I can help with?"),
    NO_AGENT_REQUESTED("抱歉，这家店现在没有人工客服在线，我没法为您转接真人。",
            "Sorry, no human agent is available for this shop, so I can't pass you to a person."),
    NO_AGENT_COMPLAINT("非常抱歉给您带来不好的体验。这家店现在没有人工客服在线，我没法为您转接真人。",
            "I'm really sorry about this. No human agent is available for this shop, so I can't pass you to a person."),
    NO_AGENT_MISUNDERSTANDING("抱歉，我一直没能理解您的意思，而这家店现在没有人工客服在线，没法为您转接真人。",
            "Sorry, I keep missing what you need, and no human agent is available for this shop to take over."),
    NO_AGENT_END("您也可以继续问我其他问题。", "You're welcome to keep asking me anything else."),
    FALLBACK_HANDED_OFF("这个问题我暂时回答不了。您的对话已经转给人工客服，客服会尽快回复您。",
            "I'm not sure about that one. A human agent has our conversation and will reply as soon as they can.");

    private final String zh;
    private final String en;

    Phrase(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    /** The line in {@code lang} (Chinese for {@code zh}, English otherwise), with {@code args} filled in. */
    String in(String lang, Object... args) {
        String s = "zh".equals(lang) ? zh : en;
        return args.length == 0 ? s : String.format(s, args);
    }

    String in(Turn t, Object... args) {
        return in(t.lang, args);
    }
}
