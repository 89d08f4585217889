package io.nectar.nlu.entity;

import io.nectar.nlu.Language;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntityExtractorTest {

    /** Wednesday. */
    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    static final Gazetteer SHOP = Gazetteer.builder()
            .color("black", List.of("黑色", "黑", "纯黑", "black", "jet black"))
            .color("brown", List.of("棕色", "咖啡色", "棕", "brown", "coffee", "tan"))
            .color("red", List.of("红色", "酒红色", "酒红", "红", "red", "wine red", "burgundy"))
            .color("navy", List.of("藏青色", "深蓝", "navy", "navy blue"))
            .color("white", List.of("白色", "白", "white"))
            .size("39").size("40").size("41").size("42").size("43").size("44").size("S").size("M").size("L").size("XL")
            .size("150ml")
            .product("SH-LS-001", List.of("SH-LS-001-BLK-42"), List.of("经典系带真皮皮鞋", "Classic Lace-up Leather Shoes", "皮鞋", "leather shoes", "酒红皮鞋"))
            .product("SH-OX-001", List.of(), List.of("经典真皮牛津皮鞋", "Classic Leather Oxford Shoes", "皮鞋", "oxford", "leather shoes"))
            .product("CARE-POL-001", List.of("CARE-POL-001-BLK"), List.of("鞋油", "shoe polish"))
            .currency("CNY")
            .build();
    static final EntityExtractor X = new EntityExtractor(SHOP);

    static Extraction zh(String text) {
        return X.extract(text, Language.ZH, TODAY);
    }

    static Extraction en(String text) {
        return X.extract(text, Language.EN, TODAY);
    }

    static String value(Extraction x, EntityType type) {
        return x.resolved(type).map(Entity::value).orElse(null);
    }

    @Test
    void theSeedCorrectionYieldsTheLastColourWithBothMentionsInOrder() {
        String text = "给我换个棕色的……不，黑色的吧";
        Extraction x = zh(text);
        List<Entity> colors = x.all(EntityType.COLOR);
        assertEquals(2, colors.size(), x.toString());
        assertEquals("brown", colors.get(0).value());
        assertEquals("棕色", colors.get(0).text());
        assertEquals(text.indexOf("棕色"), colors.get(0).start());
        assertEquals(text.indexOf("棕色") + 2, colors.get(0).end());
        assertTrue(colors.get(0).has(Entity.Flag.SUPERSEDED));
        assertEquals("black", colors.get(1).value());
        assertTrue(colors.get(1).has(Entity.Flag.CORRECTION));
        assertEquals("black", value(x, EntityType.COLOR));
        assertTrue(x.hasCorrection());
        assertTrue(x.cues().stream().anyMatch(c -> c.kind() == Cue.Kind.CORRECTION && c.text().equals("不")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Give me a brown one... no, make it black|black",
            "brown please, actually black|black",
            "not brown, black|black",
            "I'd like black instead of brown|black",
            "brown. I mean black|black",
            "不要棕色，要黑色|black",
            "不是棕色是黑色|black",
            "把棕色换成黑色|black",
            "黑色吧，不要棕色的|black",
            "棕色不要，还是黑色吧|black",
            "换成棕色|brown",
            "黑色|black",
    })
    void correctionsAndNegationsResolveToTheMeantColour(String text, String expected) {
        Extraction x = X.extract(text, text.chars().anyMatch(c -> c > 0x2e80) ? Language.ZH : Language.EN, TODAY);
        assertEquals(expected, value(x, EntityType.COLOR), x.toString());
    }

    @Test
    void negationMarksTheMentionAndNotTheNextOne() {
        Extraction x = zh("不要棕色，要黑色");
        assertTrue(x.all(EntityType.COLOR).get(0).has(Entity.Flag.NEGATED));
        assertFalse(x.all(EntityType.COLOR).get(1).has(Entity.Flag.NEGATED));
        assertEquals(List.of("brown"), x.rejected(EntityType.COLOR).stream().map(Entity::value).toList());
        // "I don't know" is no negation of the colour after it
        assertEquals("black", value(en("I don't know, maybe black"), EntityType.COLOR));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "我的订单DX1001到哪了|DX1001",
            "订单号 dx1002|DX1002",
            "Where is order DX1003?|DX1003",
            "order #A-20261111 please|A-20261111",
            "淘宝订单 3921876543210987 还没发|3921876543210987",
    })
    void orderNumbers(String text, String expected) {
        assertEquals(expected, value(X.extract(text, Language.ZH, TODAY), EntityType.ORDER_ID));
    }

    @Test
    void aMerchantOrderPatternReplacesTheDefault() {
        Gazetteer g = Gazetteer.builder().orderIdPattern("NX-\\d{6}").build();
        Extraction x = EntityExtractor.extract("order NX-123456 and DX1001", Language.EN, g, TODAY);
        assertEquals(List.of("NX-123456"), x.all(EntityType.ORDER_ID).stream().map(Entity::value).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "我的手机号是13800138000|13800138000",
            "电话 138-0013-8000|13800138000",
            "+86 138 0013 8000|13800138000",
            "call me at (415) 555-0123|4155550123",
            "my number is +44 20 7946 0958|+442079460958",
    })
    void phoneNumbers(String text, String expected) {
        assertEquals(expected, value(X.extract(text, Language.EN, TODAY), EntityType.PHONE));
    }

    @Test
    void emailsAreNotPhonesOrOrders() {
        Extraction x = en("send it to Li.Wei@example.com please");
        assertEquals("li.wei@example.com", value(x, EntityType.EMAIL));
        assertFalse(x.has(EntityType.ORDER_ID));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "我要两双|2|双",
            "买3件|3|件",
            "十二双袜子|12|双",
            "I need 2 pairs|2|pairs",
            "two pairs please|2|pairs",
            "a pair of socks|1|pair",
            "a table for 4 people|4|people",
            "四位|4|位",
    })
    void quantities(String text, String n, String unit) {
        Extraction x = X.extract(text, Language.ZH, TODAY);
        Entity q = x.resolved(EntityType.QUANTITY).orElseThrow(() -> new AssertionError(x.toString()));
        assertEquals(n, q.value());
        assertEquals(unit, q.attribute("unit"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "这双鞋399元吗|399.00|CNY",
            "¥459|459.00|CNY",
            "预算三百九十九块|399.00|CNY",
            "under $50|50.00|USD",
            "it costs 29.9 yuan|29.90|CNY",
            "120 euros|120.00|EUR",
    })
    void prices(String text, String amount, String currency) {
        Extraction x = X.extract(text, Language.ZH, TODAY);
        Entity p = x.resolved(EntityType.PRICE).orElseThrow(() -> new AssertionError(x.toString()));
        assertEquals(amount, p.value());
        assertEquals(currency, p.attribute("currency"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "明天下午|2026-11-26|afternoon",
            "明天下午3点送到|2026-11-26T15:00|",
            "后天上午10点半|2026-11-27T10:30|",
            "今天|2026-11-25|",
            "大后天|2026-11-28|",
            "周五|2026-11-27|",
            "这周五|2026-11-27|",
            "下周五|2026-12-04|",
            "下星期一|2026-11-30|",
            "11月20日|2026-11-20|",
            "2026年12月1号|2026-12-01|",
            "28号能到吗|2026-11-28|",
            "next Friday|2026-12-04|",
            "this Friday|2026-11-27|",
            "on Friday|2026-11-27|",
            "tomorrow afternoon|2026-11-26|afternoon",
            "tomorrow at 3pm|2026-11-26T15:00|",
            "the day after tomorrow|2026-11-27|",
            "Nov 30th|2026-11-30|",
            "1 December 2026|2026-12-01|",
            "2026-12-24|2026-12-24|",
            "tonight|2026-11-25|evening",
            "this afternoon|2026-11-25|afternoon",
            "下周能到吗|2026-11-30|week",
            "next week|2026-11-30|week",
            "下周三|2026-12-02|",
    })
    void datesAndTimesRelativeToToday(String text, String iso, String period) {
        Extraction x = X.extract(text, Language.ZH, TODAY);
        Entity d = x.resolved(EntityType.DATE).orElseThrow(() -> new AssertionError(text + ": " + x));
        assertEquals(iso, d.value(), x.toString());
        assertEquals(period, d.attribute("period"));
    }

    @Test
    void aLittleIsNotOneOclock() {
        assertFalse(zh("便宜一点吧").has(EntityType.DATE));
        assertFalse(zh("有大一点的吗").has(EntityType.DATE));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "42码|42",
            "我穿42|42",
            "有没有43号的|43",
            "size 41|41",
            "EU 40|40",
            "do you have it in XL|XL",
            "M码|M",
            "大码|L",
            "in a medium|M",
            "150ml的|150ml",
    })
    void sizes(String text, String expected) {
        Extraction x = X.extract(text, Language.ZH, TODAY);
        assertEquals(expected, value(x, EntityType.SIZE), x.toString());
    }

    @Test
    void aLoneCatalogueNumberIsABareSizeAndOtherNumbersAreNot() {
        Entity s = zh("42").resolved(EntityType.SIZE).orElseThrow();
        assertEquals("true", s.attribute("bare"));
        assertEquals(null, zh("42码").resolved(EntityType.SIZE).orElseThrow().attribute("bare"));
        assertFalse(zh("420").has(EntityType.SIZE));
        assertFalse(zh("399元").has(EntityType.SIZE));
        assertFalse(zh("DX1042").has(EntityType.SIZE), "part of an order number");
    }

    @Test
    void colourWordsFromTheGazetteerAndCommonWords() {
        assertEquals("red", value(zh("酒红色的还有吗"), EntityType.COLOR));
        assertEquals("navy", value(en("do you have navy blue"), EntityType.COLOR));
        assertEquals("brown", value(en("the tan ones"), EntityType.COLOR));
        assertEquals("yellow", value(zh("有黄色吗"), EntityType.COLOR), "common colour words beyond the gazetteer");
        assertEquals("black", value(zh("黑的"), EntityType.COLOR));
    }

    @Test
    void wordsThatMerelyContainAColourCharacterAreNoColour() {
        assertFalse(zh("明白了").has(EntityType.COLOR));
        assertFalse(zh("我明白").has(EntityType.COLOR));
        assertFalse(zh("有红包吗").has(EntityType.COLOR));
        assertFalse(zh("白天能送吗").has(EntityType.COLOR));
        assertFalse(en("Is it redundant?").has(EntityType.COLOR));
    }

    @Test
    void productsByNameKeywordAndSku() {
        Extraction x = zh("经典系带真皮皮鞋有黑色42码吗");
        assertEquals("SH-LS-001", value(x, EntityType.PRODUCT));
        assertEquals("black", value(x, EntityType.COLOR));
        assertEquals("42", value(x, EntityType.SIZE));

        Entity ambiguous = zh("皮鞋怎么保养").resolved(EntityType.PRODUCT).orElseThrow();
        assertEquals("SH-LS-001,SH-OX-001", ambiguous.attribute("candidates"));

        assertEquals("SH-LS-001", value(en("is SH-LS-001-BLK-42 in stock"), EntityType.PRODUCT));
        assertEquals("CARE-POL-001", value(en("how much is the shoe polish"), EntityType.PRODUCT));
        Extraction nested = zh("酒红皮鞋还有货吗");
        assertEquals("SH-LS-001", value(nested, EntityType.PRODUCT));
        assertEquals("red", value(nested, EntityType.COLOR), "a colour inside a product keyword is kept");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"那双黑色的有42码吗", "这个多少钱", "这款还有吗", "does this one come in brown?", "I want those", "same as the one I asked about"})
    void referencesBackToTheLastProduct(String text) {
        Extraction x = X.extract(text, Language.ZH, TODAY);
        assertEquals("previous", value(x, EntityType.REFERENCE), x.toString());
    }

    @Test
    void mixedMessageGivesEveryEntityInOrderWithSpans() {
        String text = "订单DX1001的皮鞋换成黑色42码，两双，明天下午送到，电话13800138000";
        Extraction x = zh(text);
        List<EntityType> order = x.entities().stream().map(Entity::type).toList();
        assertEquals(List.of(EntityType.ORDER_ID, EntityType.PRODUCT, EntityType.COLOR, EntityType.SIZE,
                EntityType.QUANTITY, EntityType.DATE, EntityType.PHONE), order, x.toString());
        for (Entity e : x.entities()) {
            assertEquals(e.text(), text.substring(e.start(), e.end()));
        }
        assertEquals(Map.of("period", "afternoon"), x.resolved(EntityType.DATE).orElseThrow().attributes());
    }

    @Test
    void fullWidthCharactersAreUnderstood() {
        Extraction x = zh("订单ＤＸ１００１，４２码");
        assertEquals("DX1001", value(x, EntityType.ORDER_ID));
        assertEquals("42", value(x, EntityType.SIZE));
        assertEquals("ＤＸ１００１", x.resolved(EntityType.ORDER_ID).orElseThrow().text(), "spans point into the original text");
    }

    @Test
    void emptyAndPlainTextsHaveNoEntities() {
        assertTrue(zh("").entities().isEmpty());
        assertTrue(en("hello there, how are you?").entities().isEmpty());
        assertTrue(zh("你们几点上班").entities().isEmpty());
    }
}
