package io.nectar.nlu.entity;

import io.nectar.nlu.Language;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds typed, normalised entities in a shopper's message: order numbers, phone numbers, e-mail
 * addresses, quantities, prices, dates and times, colours, sizes, products and references back to what
 * was discussed ("this one", "那双"), in Chinese and English, using the merchant's {@link Gazetteer}.
 * <p>
 * Every mention is returned in text order with its span, so a dialogue layer can tell "棕色……不，黑色的吧"
 * apart from "黑色": mentions after a correction cue ("不，", "actually", "I mean") mark earlier mentions of
 * the same type {@link Entity.Flag#SUPERSEDED}, and a negation right before a mention ("不要", "not")
 * marks it {@link Entity.Flag#NEGATED}. {@link Extraction#resolved} gives the value the shopper ends up
 * meaning.
 * <p>
 * Rule- and gazetteer-based: microseconds per message, no model. Stateless apart from per-gazetteer
 * lookup tables it caches; thread-safe, any thread.
 */
public final class EntityExtractor {

    /** Colour words every store understands, merged under the merchant's own colour keys. */
    private static final Map<String, List<String>> COMMON_COLORS = Map.ofEntries(
            Map.entry("black", List.of("黑色", "黑", "black")),
            Map.entry("white", List.of("白色", "白", "white")),
            Map.entry("red", List.of("红色", "红", "red")),
            Map.entry("blue", List.of("蓝色", "蓝", "blue")),
            Map.entry("green", List.of("绿色", "绿", "green")),
            Map.entry("yellow", List.of("黄色", "黄", "yellow")),
            Map.entry("grey", List.of("灰色", "灰", "grey", "gray")),
            Map.entry("brown", List.of("棕色", "咖啡色", "brown")),
            Map.entry("pink", List.of("粉色", "粉红色", "pink")),
            Map.entry("purple", List.of("紫色", "紫", "purple")),
            Map.entry("orange", List.of("橙色", "橘色", "orange")),
            Map.entry("beige", List.of("米色", "beige")),
            Map.entry("navy", List.of("藏青色", "navy")));
    /** Two-character words whose second (or first) character is a colour but that name no colour. */
    private static final Set<String> NOT_COLORS = Set.of("明白", "空白", "坦白", "告白", "表白", "独白", "蛋白", "白天",
            "网红", "口红", "分红", "红包", "拉黑", "抹黑", "黑名", "石灰", "灰心", "面粉", "米粉", "奶粉", "花粉", "粉丝",
            "蓝牙", "黄金", "紫外");
    private static final String AFTER_SINGLE_HAN_COLOR = "色的款鞋底面皮靴衣裤帽袜吧呢吗啊呀哦了，,。.!！?？…~ \t";

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern PHONE_CN = Pattern.compile("(?<![\\d+])(?:\\+?86[-\\s]?)?(1[3-9]\\d)[-\\s]?(\\d{4})[-\\s]?(\\d{4})(?!\\d)");
    private static final Pattern PHONE_INTL = Pattern.compile("(?<![\\d+])\\+(\\d{1,3})[-\\s]?(\\d[\\d\\s-]{5,14}\\d)(?!\\d)");
    private static final Pattern PHONE_NANP = Pattern.compile("(?<!\\d)(?:\\((\\d{3})\\)\\s?|(\\d{3})[-.\\s])(\\d{3})[-.\\s](\\d{4})(?!\\d)");
    private static final Pattern DIGIT_ORDER = Pattern.compile("(?<![\\d.])\\d{12,20}(?![\\d.])");
    private static final Pattern DEFAULT_ORDER = Pattern.compile(Gazetteer.DEFAULT_ORDER_ID);

    private static final Pattern PRICE_SYMBOL = Pattern.compile(
            "(?i)(US\\$|[¥￥$€£]|RMB|CNY|USD|EUR|GBP)\\s?(\\d{1,7}(?:\\.\\d{1,2})?)(?![\\d.])");
    private static final Pattern PRICE_UNIT = Pattern.compile(
            "(?i)(?<![\\d.])(\\d{1,7}(?:\\.\\d{1,2})?)\\s?(元|块钱|块|圆|rmb|cny|yuan|usd|dollars?|bucks|eur|euros?|gbp|pounds?)(?![a-z])");
    private static final Pattern PRICE_ZH = Pattern.compile("([零一二两三四五六七八九十百千万]{1,8})\\s?(元|块钱|块)");

    private static final Pattern QTY_ZH = Pattern.compile(
            "(?<![\\d.])(\\d{1,3}|[一二两三四五六七八九十]{1,3})\\s?(双|件|个|条|條|支|瓶|盒|套|顶|只|份|副|对|包|箱|位|人)");
    private static final Pattern QTY_EN = Pattern.compile(
            "(?i)\\b(\\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a pair of|an?)\\s+"
                    + "(pairs?|pieces?|items?|units?|boxes|box|bottles?|sets?|of them|tins?|tubes?|people|persons?|guests?|adults?)\\b");
    private static final Pattern QTY_X = Pattern.compile("(?i)(?:\\bqty|\\bquantity)\\s*[:=]?\\s*(\\d{1,3})\\b|(?<![A-Za-z])[x×]\\s?(\\d{1,3})\\b");

    private static final Pattern SIZE_ZH = Pattern.compile("(?<![\\d.])(\\d{2}(?:\\.5)?)\\s*(码|碼|号|號)");
    private static final Pattern SIZE_EN = Pattern.compile(
            "(?i)\\b(?:size|sz|eu)\\s*[:#]?\\s*(\\d{1,2}(?:\\.5)?|xxs|xs|s|m|l|xl|xxl|xxxl|2xl|3xl|small|medium|large|extra[- ]large)\\b");
    private static final Pattern SIZE_LETTERS = Pattern.compile("(?i)(?<![A-Za-z])(xxs|xs|xl|xxl|xxxl|2xl|3xl)(?![A-Za-z])");
    private static final Pattern SIZE_SML = Pattern.compile("(?<![A-Za-z'’])([SML])(?![A-Za-z'’.])");
    private static final Pattern SIZE_ZH_WORDS = Pattern.compile("加大[码号]|特大[码号]|大[码号]|中[码号]|小[码号]");
    private static final Pattern SIZE_EN_WORDS = Pattern.compile("(?i)\\bin\\s+(?:an?\\s+)?(small|medium|large|extra[- ]large)\\b");

    private static final Pattern REF_ZH = Pattern.compile("(?:刚才|之前|上面)?(?:这|那|该)(?:一)?(?:双|个|款|件|条|顶|只|支|瓶|盒|套|种)|同一(?:双|款|个)|它");
    private static final Pattern REF_EN = Pattern.compile(
            "(?i)\\b(?:this|that|the same)\\s+(?:one|pair|item|model|product|style|shoe|shoes)\\b|\\b(?:these|those)(?:\\s+ones)?\\b"
                    + "|\\bthe one (?:i|we) (?:asked|talked|were talking) about\\b");

    private final Gazetteer gazetteer;
    private final Tables tables;

    private record Term(String text, String value, boolean han) {
    }

    private record Tables(List<Term> colors, List<Term> productNames, Map<String, List<String>> productsByName,
                          Map<String, String> skus, Map<String, String> sizes, Set<Integer> numericSizes,
                          List<String> otherSizes, Pattern orderId) {
    }

    /** An extractor for one merchant: the gazetteer's lookup tables are built once, here. */
    public EntityExtractor(Gazetteer gazetteer) {
        this.gazetteer = gazetteer;
        this.tables = build(gazetteer);
    }

    /** One-off extraction; a long-lived caller keeps an {@code EntityExtractor} per gazetteer instead. */
    public static Extraction extract(String text, Language lang, Gazetteer gazetteer, LocalDate today) {
        return new EntityExtractor(gazetteer).extract(text, lang, today);
    }

    public Gazetteer gazetteer() {
        return gazetteer;
    }

    /**
     * Extracts entities from {@code text}.
     *
     * @param lang  the message's language; both scripts are scanned whatever it is, since shoppers mix
     *              them ("DX1001换black"), so today it only documents the caller's view
     * @param today the shopper's today, for relative dates (明天, next Friday)
     */
    public Extraction extract(String text, Language lang, LocalDate today) {
        if (text == null || text.isEmpty()) {
            return Extraction.EMPTY;
        }
        // NFKC keeps length for the characters shoppers type (full-width digits and letters map one to one);
        // when it would not, match on the original text.
        String norm = Normalizer.normalize(text, Normalizer.Form.NFKC);
        String t = norm.length() == text.length() ? norm : text;
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.length() != t.length()) {
            lower = t;
        }
        Tables tb = tables;
        Gazetteer gazetteer = this.gazetteer;
        List<Candidate> c = new ArrayList<>();
        identifiers(t, tb, gazetteer, c);
        money(t, gazetteer, c);
        quantities(t, c);
        DateRecognizer.find(t, today, c, tb.numericSizes::contains);
        sizes(t, lower, tb, c);
        colors(t, lower, tb, c);
        references(t, c);
        List<Candidate> kept = resolveOverlaps(c);
        products(lower, tb, kept);
        kept.sort(Comparator.comparingInt(Candidate::start).thenComparingInt(Candidate::end));

        List<Entity> entities = new ArrayList<>();
        for (Candidate k : kept) {
            entities.add(k.toEntity(text));
        }
        List<Cue> cues = CueMarker.cues(t);
        CueMarker.mark(t, entities, cues);
        return new Extraction(text, entities, cues);
    }

    // ---- identifiers: e-mail, phone, order number, SKU ----

    private static void identifiers(String t, Tables tb, Gazetteer g, List<Candidate> out) {
        Matcher m = EMAIL.matcher(t);
        while (m.find()) {
            out.add(new Candidate(EntityType.EMAIL, m.group().toLowerCase(Locale.ROOT), m.start(), m.end(), Map.of(), 10));
        }
        m = PHONE_CN.matcher(t);
        while (m.find()) {
            out.add(new Candidate(EntityType.PHONE, m.group(1) + m.group(2) + m.group(3), m.start(), m.end(), Map.of(), 9));
        }
        m = PHONE_INTL.matcher(t);
        while (m.find()) {
            String digits = (m.group(1) + m.group(2)).replaceAll("\\D", "");
            if (digits.length() >= 8 && digits.length() <= 15) {
                out.add(new Candidate(EntityType.PHONE, "+" + digits, m.start(), m.end(), Map.of(), 9));
            }
        }
        m = PHONE_NANP.matcher(t);
        while (m.find()) {
            String area = m.group(1) != null ? m.group(1) : m.group(2);
            out.add(new Candidate(EntityType.PHONE, area + m.group(3) + m.group(4), m.start(), m.end(), Map.of(), 9));
        }
        m = tb.orderId.matcher(t);
        while (m.find()) {
            if (boundary(t, m.start(), m.end())) {
                out.add(new Candidate(EntityType.ORDER_ID, m.group().toUpperCase(Locale.ROOT), m.start(), m.end(), Map.of(), 8));
            }
        }
        if (g.orderIdPattern() == null) {
            m = DIGIT_ORDER.matcher(t);
            while (m.find()) {
                out.add(new Candidate(EntityType.ORDER_ID, m.group(), m.start(), m.end(), Map.of(), 8));
            }
        }
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.length() == t.length()) {
            for (Map.Entry<String, String> sku : tb.skus.entrySet()) {
                int from = 0, at;
                while ((at = upper.indexOf(sku.getKey(), from)) >= 0) {
                    int end = at + sku.getKey().length();
                    if (boundary(t, at, end)) {
                        out.add(new Candidate(EntityType.PRODUCT, sku.getValue(), at, end, Map.of("sku", sku.getKey()), 9));
                    }
                    from = end;
                }
            }
        }
    }

    private static boolean boundary(String t, int start, int end) {
        return (start == 0 || !isWordChar(t.charAt(start - 1))) && (end == t.length() || !isWordChar(t.charAt(end)));
    }

    private static boolean isWordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    // ---- money and counts ----

    private static void money(String t, Gazetteer g, List<Candidate> out) {
        Matcher m = PRICE_SYMBOL.matcher(t);
        while (m.find()) {
            out.add(price(m.group(2), currency(m.group(1), g), m.start(), m.end()));
        }
        m = PRICE_UNIT.matcher(t);
        while (m.find()) {
            out.add(price(m.group(1), currency(m.group(2), g), m.start(), m.end()));
        }
        m = PRICE_ZH.matcher(t);
        while (m.find()) {
            long v = Numbers.parseChinese(m.group(1));
            if (v > 0) {
                out.add(price(Long.toString(v), g.currency(), m.start(), m.end()));
            }
        }
    }

    private static Candidate price(String amount, String currency, int start, int end) {
        String v = new BigDecimal(amount.replace(',', '.')).setScale(2, RoundingMode.HALF_UP).toPlainString();
        return new Candidate(EntityType.PRICE, v, start, end, Map.of("currency", currency), 7);
    }

    private static String currency(String unit, Gazetteer g) {
        String u = unit.toLowerCase(Locale.ROOT);
        return switch (u) {
            case "¥", "￥", "rmb", "cny", "元", "块钱", "块", "圆", "yuan" -> "CNY";
            case "$", "us$", "usd", "dollar", "dollars", "bucks" -> "$".equals(u) && !"CNY".equals(g.currency()) ? g.currency() : "USD";
            case "€", "eur", "euro", "euros" -> "EUR";
            case "£", "gbp", "pound", "pounds" -> "GBP";
            default -> g.currency();
        };
    }

    private static void quantities(String t, List<Candidate> out) {
        Matcher m = QTY_ZH.matcher(t);
        while (m.find()) {
            long n = Numbers.parse(m.group(1));
            if (n > 0) {
                out.add(new Candidate(EntityType.QUANTITY, Long.toString(n), m.start(), m.end(), Map.of("unit", m.group(2)), 5));
            }
        }
        m = QTY_EN.matcher(t);
        while (m.find()) {
            long n = Numbers.parse(m.group(1));
            String unit = m.group(2).toLowerCase(Locale.ROOT);
            if (n > 0) {
                out.add(new Candidate(EntityType.QUANTITY, Long.toString(n), m.start(), m.end(), Map.of("unit", unit), 5));
            }
        }
        m = QTY_X.matcher(t);
        while (m.find()) {
            String n = m.group(1) != null ? m.group(1) : m.group(2);
            out.add(new Candidate(EntityType.QUANTITY, Long.toString(Long.parseLong(n)), m.start(), m.end(), Map.of(), 5));
        }
    }

    // ---- sizes ----

    private static void sizes(String t, String lower, Tables tb, List<Candidate> out) {
        Matcher m = SIZE_ZH.matcher(t);
        while (m.find()) {
            String n = m.group(1);
            boolean hao = m.group(2).equals("号") || m.group(2).equals("號");
            int whole = (int) Double.parseDouble(n);
            if (hao && whole <= 31 && !tb.numericSizes.contains(whole)) {
                continue; // "20号" is a day of the month
            }
            out.add(size(tb, n, m.start(), m.end(), false));
        }
        m = SIZE_EN.matcher(t);
        while (m.find()) {
            out.add(size(tb, words(m.group(1)), m.start(), m.end(), false));
        }
        m = SIZE_LETTERS.matcher(t);
        while (m.find()) {
            out.add(size(tb, m.group(1), m.start(), m.end(), false));
        }
        m = SIZE_SML.matcher(t);
        while (m.find()) {
            out.add(size(tb, m.group(1), m.start(), m.end(), false));
        }
        m = SIZE_ZH_WORDS.matcher(t);
        while (m.find()) {
            String w = m.group();
            String v = w.startsWith("加大") || w.startsWith("特大") ? "XL" : w.startsWith("大") ? "L" : w.startsWith("中") ? "M" : "S";
            out.add(size(tb, v, m.start(), m.end(), false));
        }
        m = SIZE_EN_WORDS.matcher(t);
        while (m.find()) {
            out.add(size(tb, words(m.group(1)), m.start(), m.end(), false));
        }
        for (String s : tb.otherSizes) {
            int from = 0, at;
            while ((at = lower.indexOf(s, from)) >= 0) {
                int end = at + s.length();
                if (boundary(t, at, end)) {
                    out.add(size(tb, s, at, end, false));
                }
                from = end;
            }
        }
        for (int n : tb.numericSizes) {
            String s = Integer.toString(n);
            int from = 0, at;
            while ((at = t.indexOf(s, from)) >= 0) {
                int end = at + s.length();
                from = end;
                boolean digitBefore = at > 0 && (Character.isDigit(t.charAt(at - 1)) || t.charAt(at - 1) == '.');
                boolean digitAfter = end < t.length() && (Character.isDigit(t.charAt(end)) || t.charAt(end) == '.');
                if (!digitBefore && !digitAfter) {
                    out.add(size(tb, s, at, end, true));
                }
            }
        }
    }

    private static String words(String s) {
        return switch (s.toLowerCase(Locale.ROOT).replace('-', ' ')) {
            case "small" -> "S";
            case "medium" -> "M";
            case "large" -> "L";
            case "extra large" -> "XL";
            default -> s;
        };
    }

    private static Candidate size(Tables tb, String raw, int start, int end, boolean bare) {
        String v = raw.toUpperCase(Locale.ROOT);
        if (v.equals("2XL")) {
            v = "XXL";
        } else if (v.equals("3XL")) {
            v = "XXXL";
        }
        v = tb.sizes.getOrDefault(v.toLowerCase(Locale.ROOT), v);
        return new Candidate(EntityType.SIZE, v, start, end, bare ? Map.of("bare", "true") : Map.of(), bare ? 1 : 4);
    }

    // ---- colours, references, products ----

    private static void colors(String t, String lower, Tables tb, List<Candidate> out) {
        for (Term term : tb.colors) {
            int from = 0, at;
            while ((at = lower.indexOf(term.text, from)) >= 0) {
                int end = at + term.text.length();
                from = at + 1;
                if (term.han) {
                    if (term.text.length() == 1 && !singleHanColorStands(t, at)) {
                        continue;
                    }
                } else if (!boundary(t, at, end)) {
                    continue;
                }
                out.add(new Candidate(EntityType.COLOR, term.value, at, end, Map.of(), 4));
            }
        }
    }

    private static boolean singleHanColorStands(String t, int at) {
        if (at + 1 < t.length() && AFTER_SINGLE_HAN_COLOR.indexOf(t.charAt(at + 1)) < 0) {
            return false;
        }
        return !(at > 0 && NOT_COLORS.contains(t.substring(at - 1, at + 1)))
                && !(at + 2 <= t.length() && NOT_COLORS.contains(t.substring(at, Math.min(t.length(), at + 2))));
    }

    private static void references(String t, List<Candidate> out) {
        for (Pattern p : List.of(REF_ZH, REF_EN)) {
            Matcher m = p.matcher(t);
            while (m.find()) {
                out.add(new Candidate(EntityType.REFERENCE, "previous", m.start(), m.end(), Map.of(), 3));
            }
        }
    }

    /** Product names may contain colour and size words ("酒红皮鞋"): they are kept beside the product. */
    private static void products(String lower, Tables tb, List<Candidate> kept) {
        List<Candidate> found = new ArrayList<>();
        for (Term term : tb.productNames) {
            int from = 0, at;
            while ((at = lower.indexOf(term.text, from)) >= 0) {
                int end = at + term.text.length();
                from = at + 1;
                if (!term.han && !boundary(lower, at, end)) {
                    continue;
                }
                List<String> skus = tb.productsByName.get(term.text);
                Map<String, String> attrs = skus.size() > 1 ? Map.of("candidates", String.join(",", skus)) : Map.of();
                found.add(new Candidate(EntityType.PRODUCT, skus.get(0), at, end, attrs, 5));
            }
        }
        found.sort(Comparator.comparingInt(Candidate::length).reversed());
        for (Candidate p : found) {
            boolean clash = false;
            for (Candidate k : kept) {
                if (p.overlaps(k) && k.type() != EntityType.COLOR && k.type() != EntityType.SIZE) {
                    clash = true;
                    break;
                }
            }
            if (!clash) {
                kept.add(p);
            }
        }
    }

    /** Longest first; among equal lengths the higher priority; never two overlapping mentions. */
    private static List<Candidate> resolveOverlaps(List<Candidate> all) {
        all.sort(Comparator.comparingInt(Candidate::length).reversed()
                .thenComparing(Comparator.comparingInt(Candidate::priority).reversed())
                .thenComparingInt(Candidate::start));
        List<Candidate> kept = new ArrayList<>();
        outer:
        for (Candidate c : all) {
            for (Candidate k : kept) {
                if (c.overlaps(k)) {
                    continue outer;
                }
            }
            kept.add(c);
        }
        return kept;
    }

    // ---- tables ----

    private static Tables build(Gazetteer g) {
        Map<String, String> colorByName = new LinkedHashMap<>();
        g.colors().forEach((key, names) -> names.forEach(n -> colorByName.putIfAbsent(n.strip().toLowerCase(Locale.ROOT), key)));
        COMMON_COLORS.forEach((key, names) -> names.forEach(n -> colorByName.putIfAbsent(n.toLowerCase(Locale.ROOT), key)));
        List<Term> colors = new ArrayList<>();
        colorByName.forEach((n, key) -> {
            if (!n.isEmpty()) {
                colors.add(new Term(n, key, hasHan(n)));
            }
        });

        Map<String, List<String>> byName = new LinkedHashMap<>();
        Map<String, String> skus = new LinkedHashMap<>();
        for (Gazetteer.ProductEntry p : g.products()) {
            skus.put(p.sku().toUpperCase(Locale.ROOT), p.sku());
            p.variantSkus().forEach(v -> skus.put(v.toUpperCase(Locale.ROOT), p.sku()));
            for (String n : p.names()) {
                String k = n.strip().toLowerCase(Locale.ROOT);
                if (k.length() < (hasHan(k) ? 2 : 3)) {
                    continue;
                }
                List<String> l = byName.computeIfAbsent(k, x -> new ArrayList<>());
                if (!l.contains(p.sku())) {
                    l.add(p.sku());
                }
            }
        }
        List<Term> names = new ArrayList<>();
        byName.keySet().forEach(n -> names.add(new Term(n, null, hasHan(n))));

        Map<String, String> sizes = new HashMap<>();
        Set<Integer> numeric = new java.util.TreeSet<>();
        List<String> other = new ArrayList<>();
        for (String s : g.sizes()) {
            sizes.put(s.toLowerCase(Locale.ROOT), s);
            if (s.matches("\\d{1,3}")) {
                numeric.add(Integer.parseInt(s));
            } else if (!s.matches("(?i)xxs|xs|s|m|l|xl|xxl|xxxl")) {
                other.add(s.toLowerCase(Locale.ROOT));
            }
        }
        other.sort(Comparator.comparingInt(String::length).reversed());
        Pattern order = g.orderIdPattern() != null ? g.orderIdPattern() : DEFAULT_ORDER;
        return new Tables(colors, names, byName, skus, sizes, numeric, other, order);
    }

    private static boolean hasHan(String s) {
        return s.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }
}
