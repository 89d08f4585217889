package io.nectar.gateway.knowledge;

import io.nectar.gateway.store.Localized;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Promotion;
import io.nectar.gateway.store.Store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes reply texts from store data: FAQ answers with their {@code {{fact}}} placeholders filled,
 * product and promotion summaries, the fallback. Pure functions; any thread.
 */
public final class ReplyComposer {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    private ReplyComposer() {
    }

    /** The language the store can answer in: the shopper's if the text has it, else the store's default. */
    public static String replyLanguage(Store store, Localized text, String lang) {
        return text.has(lang) ? lang : store.defaultLanguage();
    }

    public static String faqAnswer(Store store, Localized answer, String lang) {
        String text = answer.get(lang, store.defaultLanguage());
        return fillFacts(store, text == null ? "" : text, replyLanguage(store, answer, lang));
    }

    public static String fillFacts(Store store, String text, String lang) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Localized fact = "store".equals(m.group(1)) ? store.name() : store.facts().get(m.group(1));
            String value = fact == null ? m.group() : fact.get(lang, store.defaultLanguage());
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static String product(Store store, Product p, String lang) {
        boolean zh = "zh".equals(replyLanguage(store, p.title(), lang));
        String l = zh ? "zh" : replyLanguage(store, p.title(), lang);
        String title = p.title().get(l, store.defaultLanguage());
        String price = p.price() == null ? null : money(store, p.price());
        List<String> colors = new ArrayList<>();
        for (String c : p.colorsInStock()) {
            colors.add(store.colorName(c, l));
        }
        String sizes = sizeList(new ArrayList<>(p.sizesInStock()), zh);
        StringBuilder s = new StringBuilder(title);
        if (zh) {
            if (price != null) {
                s.append("，售价").append(price);
            }
            if (p.totalStock() == 0) {
                s.append("。这款暂时缺货，到货后可以通知您。");
            } else {
                if (!colors.isEmpty()) {
                    s.append("。现货颜色：").append(String.join("、", colors));
                }
                if (!sizes.isEmpty()) {
                    s.append("；可选尺码：").append(sizes);
                }
                s.append("。");
            }
        } else {
            if (price != null) {
                s.append(": ").append(price);
            }
            if (p.totalStock() == 0) {
                s.append(". Currently out of stock; we can let you know when it is back.");
            } else {
                if (!colors.isEmpty()) {
                    s.append(". In stock in ").append(String.join(", ", colors));
                }
                if (!sizes.isEmpty()) {
                    s.append(colors.isEmpty() ? ". In stock in sizes " : ", sizes ").append(sizes);
                }
                s.append('.');
            }
        }
        return s.toString();
    }

    public static String promotion(Store store, Promotion p, String lang) {
        String l = replyLanguage(store, p.description().isEmpty() ? p.name() : p.description(), lang);
        String name = p.name().get(l, store.defaultLanguage());
        String desc = p.description().get(l, store.defaultLanguage());
        StringBuilder s = new StringBuilder();
        if (name != null) {
            s.append(name);
        }
        if (desc != null) {
            s.append(s.length() > 0 ? ("zh".equals(l) ? "：" : ": ") : "").append(desc);
        }
        if (p.validTo() != null) {
            s.append("zh".equals(l) ? "（活动截至 " + p.validTo() + "）" : " (until " + p.validTo() + ")");
        }
        return s.toString();
    }

    public static String fallback(Store store, String lang) {
        String text = store.fallback().get(lang, store.defaultLanguage());
        if (text != null) {
            return fillFacts(store, text, replyLanguage(store, store.fallback(), lang));
        }
        if (!store.hasAgents()) {
            // no agent can take the conversation: do not offer one
            return "zh".equals(lang) ? "抱歉，这个问题我还不太确定，可以换个说法问我吗？"
                    : "Sorry, I'm not sure about that. Could you put it another way?";
        }
        return "zh".equals(lang) ? "抱歉，这个问题我还不太确定。需要为您转接人工客服吗？"
                : "Sorry, I'm not sure about that. Would you like me to connect you to a human agent?";
    }

    public static String money(Store store, BigDecimal amount) {
        String symbol = Map.of("CNY", "¥", "USD", "$", "EUR", "€", "GBP", "£").get(store.currency());
        String n = amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
        return symbol != null ? symbol + n : n + " " + store.currency();
    }

    /** "39–44" for a run of whole-number sizes, else a plain list. */
    static String sizeList(List<String> sizes, boolean zh) {
        if (sizes.isEmpty()) {
            return "";
        }
        List<Integer> nums = new ArrayList<>();
        for (String s : sizes) {
            try {
                nums.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                return String.join(zh ? "、" : ", ", sizes);
            }
        }
        nums.sort(null);
        List<String> parts = new ArrayList<>();
        int start = nums.get(0), prev = start;
        for (int i = 1; i <= nums.size(); i++) {
            int cur = i < nums.size() ? nums.get(i) : Integer.MIN_VALUE;
            if (cur == prev + 1 || cur == prev) {
                prev = Math.max(prev, cur);
                continue;
            }
            parts.add(start == prev ? Integer.toString(start) : start + "–" + prev);
            start = prev = cur;
        }
        return String.join(zh ? "、" : ", ", parts);
    }
}
