package io.nectar.gateway.dialogue;

import io.nectar.nlu.TextNormalizer;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Dialogue-control words in Chinese and English: yes, no, cancel, retry, and anger or complaint words.
 * They are short, closed sets where a word list is more reliable than an encoder. Pure; any thread.
 */
public final class Lexicon {

    public enum YesNo { YES, NO }

    private static final Set<String> YES = Set.of("好", "好的", "好啊", "好吧", "好滴", "可以", "可以的", "行", "行吧", "是", "是的",
            "对", "对的", "嗯", "嗯嗯", "恩", "确认", "确定", "没问题", "换吧", "换", "改", "要", "需要", "同意", "改吧", "提交", "麻烦了",
            "好的谢谢", "ok", "okay", "yes", "yeah", "yep", "yup", "sure", "confirm", "correct", "please do", "go ahead",
            "do it", "sounds good", "that's right", "right", "yes please", "ok thanks", "perfect", "great");
    private static final Set<String> NO = Set.of("不", "不要", "不用", "不行", "不是", "不对", "不好", "别", "否", "不换", "不需要",
            "no", "nope", "nah", "don't", "do not", "not now", "no thanks", "no thank you", "not really");
    /** Cancels wherever they appear in a message. */
    private static final List<String> CANCEL_ANYWHERE = List.of("算了", "不用了", "不要了", "没事了", "不换了", "不改了", "不退了",
            "不开了", "不查了", "先不了", "不需要了", "never mind", "nevermind", "forget it", "forget about it", "don't bother",
            "no need", "scratch that whole thing");
    /** Cancel only as the whole message ("取消订单" is a question about orders, not a cancel). */
    private static final Set<String> CANCEL_ALONE = Set.of("取消", "取消吧", "cancel", "cancel it", "stop", "quit", "exit");
    private static final List<String> RETRY = List.of("重试", "再试一次", "再试试", "重新提交", "retry", "try again");
    private static final List<String> COMPLAINT_ZH = List.of("投诉", "垃圾", "差评", "骗子", "骗人", "太差了", "什么破", "破玩意",
            "气死", "滚开", "滚蛋", "滚吧", "妈的", "他妈", "坑人", "坑爹", "12315", "举报", "恶心", "欺诈");
    /** Goods and chores that follow 垃圾 in a question about them ("垃圾袋有货吗"): no complaint there. */
    private static final List<String> RUBBISH_GOODS = List.of("袋", "桶", "篓", "箱", "筐", "分类", "处理", "车", "铲", "夹", "站");
    private static final Pattern COMPLAINT_EN = Pattern.compile("(?i)\\b(complaint|complain|terrible|useless|ridiculous|scam|"
            + "angry|furious|worst|wtf|sue you|(call|get|contact|hire|hear from) (my|a) lawyer|unacceptable|disgusting|rip[- ]?off"
            + "|pathetic|stupid bot|hate this"
            // fraud as an accusation ("this is fraud", "you are frauds"), not fraud a shopper reports or asks about
            // ("report fraud on my card", "fraudulent charges"): that is a question the store may answer
            + "|(you|you guys|you people|this|that|it|this shop|this store)( is| are|'s|'re) (an? )?(total |complete |pure )?frauds?"
            + "|(what|such) an? (total |complete )?fraud|^frauds?(?=\\W*$))\\b");
    private static final List<String> HUMAN_ZH = List.of("转人工", "人工客服", "找人工", "要人工", "真人客服", "找真人", "人工服务");
    /**
     * A request for a person, not a question about the bot: "can I speak to a real person?" and "I want a
     * real person" hand off, "are you a real person?" and "am I speaking with a real person" do not.
     */
    private static final Pattern HUMAN_EN = Pattern.compile("(?i)\\b(human agent|live agent|representative"
            + "|(talk|speak|chat) (to|with) (a|an|some) ?(real )?(human|person|agent|one)"
            + "|(want|need|get me|give me|connect me (to|with)|transfer me to) (a|an) (real )?(human|person|agent)"
            + "|real person,? please)\\b|^real person$");
    private static final List<String> PRICE_ZH = List.of("多少钱", "什么价", "价格", "几块钱", "卖多少", "多钱", "售价");
    private static final Pattern PRICE_EN = Pattern.compile("(?i)\\b(how much|price|cost)\\b");
    private static final Pattern PRICE_ALONE = Pattern.compile("(?i)^(多少钱|价格|价格呢|什么价|how much|how much\\?|price|price\\?|the price)$");
    private static final Pattern QUESTION_EN = Pattern.compile(
            "(?i)^(what|when|where|how|do|does|did|is|are|can|could|will|would|why|which|who)\\b");

    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[!！。.,，~～…]+$");
    /**
     * The last message this thread normalised, and its two forms: one message goes through several of the
     * checks below in turn (a human request? a cancel? a bare yes?), and normalising it each time was a
     * tenth of an event loop's time at 1,500 messages/s. Compared by identity: only that same string
     * reuses them.
     */
    private static final ThreadLocal<String[]> LAST = ThreadLocal.withInitial(() -> new String[3]);

    private Lexicon() {
    }

    /** The message's canonical form ({@link TextNormalizer}). */
    private static String canonical(String text) {
        return forms(text)[1];
    }

    /** The canonical form without trailing punctuation. */
    private static String norm(String text) {
        return forms(text)[2];
    }

    /** Whether the text has a Latin letter at all: the English patterns need one, and most Chinese messages have none. */
    private static boolean latin(String n) {
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }

    private static String[] forms(String text) {
        String[] last = LAST.get();
        if (last[0] != text) {
            String canonical = TextNormalizer.normalize(text);
            last[1] = canonical;
            last[2] = TRAILING_PUNCTUATION.matcher(canonical).replaceAll("").strip();
            last[0] = text;
        }
        return last;
    }

    /** Yes or no when the whole message (or its first clause) is one; {@code null} otherwise. */
    public static YesNo yesNo(String text) {
        String n = norm(text);
        String first = n.split("[，,。.!！;；]", 2)[0].strip();
        for (String s : List.of(n, first)) {
            if (YES.contains(s)) {
                return YesNo.YES;
            }
            if (NO.contains(s)) {
                return YesNo.NO;
            }
        }
        return null;
    }

    /**
     * Yes or no when the whole message is nothing else ("确认", "yes", "不用"); {@code null} otherwise, and
     * for thanks ("好的谢谢", "ok thanks"), which are small talk rather than an answer.
     */
    public static YesNo bareYesNo(String text) {
        String n = norm(text);
        if (n.contains("谢") || n.contains("thank")) {
            return null;
        }
        return YES.contains(n) ? YesNo.YES : NO.contains(n) ? YesNo.NO : null;
    }

    public static boolean isCancel(String text) {
        String n = norm(text);
        if (CANCEL_ALONE.contains(n)) {
            return true;
        }
        Boolean question = null; // asked only once a cancel word is found: most messages have none
        for (String c : CANCEL_ANYWHERE) {
            for (int at = n.indexOf(c); at >= 0; at = n.indexOf(c, at + 1)) {
                if (question == null) {
                    // the canonical form drops a trailing "?" and "呢": ask the message as written too
                    question = QUESTION_ZH.matcher(n).find() || text.indexOf('?') >= 0 || text.indexOf('？') >= 0;
                }
                if (!notACancel(n, c, at, question)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Verbs that make "不开了" a complement ("打不开了": it won't open), a complaint about a page or an app,
     * not "I won't open one after all".
     */
    private static final String OPEN_VERBS = "打点拉推掀揭翻撕解分离放张展划滑扒掰扯剥拆登";
    /** Things whose "不用了" means they are no longer in use ("号码不用了", "卡不用了"), not "never mind". */
    private static final List<String> OUT_OF_USE = List.of("号", "码", "卡", "户", "机", "邮箱", "已经");

    /**
     * Words of a question: a cancel word inside a question is part of what is asked ("不用了怎么关掉花呗"), unless
     * the message opens with it as a clause of its own ("算了，怎么退货": never mind that, a new question).
     */
    private static final Pattern QUESTION_ZH = Pattern.compile("怎么|怎样|为什么|为啥|如何|多少|哪|什么|能不能|可不可以|是不是|[吗么]$");
    /** Before 算了, a sum: "多算了", "怎么算了" (charged, counted), not "never mind". */
    private static final String RECKONED = "多少错重么样";

    /** Whether the cancel word {@code c} found at {@code at} in {@code n} says something else there. */
    private static boolean notACancel(String n, String c, int at, boolean question) {
        int end = at + c.length();
        boolean ownClause = at == 0 && (end == n.length() || "，,。.!！ 吧啊".indexOf(n.charAt(end)) >= 0);
        if (!ownClause && question) {
            return true;
        }
        if (at == 0) {
            return false;
        }
        if (c.equals("算了")) {
            return RECKONED.indexOf(n.charAt(at - 1)) >= 0
                    || end < n.length() && "一钱下两几个遍次".indexOf(n.charAt(end)) >= 0; // 算了一下, 算了钱: counted
        }
        if (c.equals("不开了")) {
            return OPEN_VERBS.indexOf(n.charAt(at - 1)) >= 0;
        }
        if (c.equals("不用了")) {
            return OUT_OF_USE.stream().anyMatch(w -> n.startsWith(w, at - w.length()));
        }
        return false;
    }

    public static boolean isRetry(String text) {
        String n = norm(text);
        return RETRY.stream().anyMatch(n::contains);
    }

    /** Anger or complaint words: the shopper should talk to a person. */
    public static boolean isComplaint(String text) {
        String n = canonical(text);
        if (n.equals("滚")) {
            return true;
        }
        for (String w : COMPLAINT_ZH) {
            for (int at = n.indexOf(w); at >= 0; at = n.indexOf(w, at + 1)) {
                if (!notAComplaint(n, w, at)) {
                    return true;
                }
            }
        }
        return latin(n) && COMPLAINT_EN.matcher(n).find();
    }

    /** Whether the complaint word {@code w} found at {@code at} in {@code n} means something plain there. */
    private static boolean notAComplaint(String n, String w, int at) {
        if (w.equals("垃圾")) {
            int end = at + w.length();
            return RUBBISH_GOODS.stream().anyMatch(g -> n.startsWith(g, end)); // 垃圾袋, 垃圾桶: goods
        }
        if (w.equals("欺诈") && at > 0) {
            return "防反".indexOf(n.charAt(at - 1)) >= 0; // 反欺诈, 防欺诈: anti-fraud protection, a question
        }
        if (w.equals("妈的") && at > 0) {
            return "我你她老".indexOf(n.charAt(at - 1)) >= 0; // 我妈的: my mother's
        }
        return false;
    }

    /** An explicit request for a person ("转人工", "human agent"): routed to a handoff whatever else matches. */
    public static boolean isHumanRequest(String text) {
        String n = canonical(text);
        boolean asks = HUMAN_ZH.stream().anyMatch(n::contains) || n.equals("人工") || latin(n) && HUMAN_EN.matcher(n).find();
        // only a message that names a person is looked at again: is it about one rather than for one?
        return asks && !ABOUT_A_PERSON.matcher(n).find();
    }

    /**
     * Questions about a person rather than asks for one: whether the bot is one ("你是人工客服吗", "are you ai or a
     * real person") and whether one is needed ("do I have to talk to someone to close an account").
     */
    private static final Pattern ABOUT_A_PERSON = Pattern.compile("(你|^)是(不是)?(人工|真人)"
            + "|^(do|does|did|would|will) (i|we|you) (have|need) to (talk|speak|chat)|^are you (an? )?(ai|bot|robot|machine)\\b");

    /** A question about price ("这个多少钱", "how much is this one"). */
    public static boolean isPriceQuestion(String text) {
        String n = canonical(text);
        return PRICE_ZH.stream().anyMatch(n::contains) || latin(n) && PRICE_EN.matcher(n).find();
    }

    /** Only a price question, naming nothing ("多少钱", "how much?"). */
    public static boolean isBarePriceQuestion(String text) {
        return PRICE_ALONE.matcher(norm(text)).matches();
    }

    /** A short answer (a few characters or words): an answer to a question rather than a new request. */
    public static boolean isShort(String text) {
        String t = text.strip();
        long han = t.codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN).count();
        if (han > 0) {
            return han <= 4;
        }
        return t.split("\\s+").length <= 3;
    }

    /** Whether the message reads as a question (so it is not the answer to a free-text slot). */
    public static boolean isQuestion(String text) {
        String t = text.strip();
        if (t.endsWith("?") || t.endsWith("？")) {
            return true;
        }
        String raw = t.replaceAll("[!！。.,，~～…\\s]+$", "");
        return raw.endsWith("吗") || raw.endsWith("么") || raw.endsWith("呢") || raw.endsWith("没有")
                || QUESTION_EN.matcher(raw.toLowerCase(Locale.ROOT)).find();
    }
}
