package io.nectar.index;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzerTest {

    private static List<String> texts(String s) {
        return Analyzer.terms(s).stream().map(Analyzer.Term::text).toList();
    }

    @Test
    void chineseGivesUnigramsAndBigrams() {
        assertEquals(List.of("发", "发货", "货"), texts("发货"));
        assertEquals(List.of("包", "包邮", "邮", "邮吗", "吗"), texts("包邮吗？"));
    }

    @Test
    void latinWordsAreLowerCasedAndPluralsFolded() {
        assertEquals(List.of("do", "you", "ship", "abroad"), texts("Do you SHIP abroad?"));
        assertEquals(texts("leather shoe"), texts("Leather shoes"));
    }

    @Test
    void identifiersStayWholeAndYieldTheirPrefixes() {
        List<Analyzer.Term> terms = Analyzer.terms("is SH-LS-001-RED-42 in stock");
        assertTrue(terms.contains(new Analyzer.Term("sh-ls-001-red-42", true)));
        assertTrue(terms.contains(new Analyzer.Term("sh-ls-001-red", true)));
        assertTrue(terms.contains(new Analyzer.Term("sh-ls-001", true)));
        assertFalse(texts("is SH-LS-001-RED-42 in stock").contains("sh-ls"), "sh-ls has no digit: not an identifier");
        assertTrue(Analyzer.terms("DX1001 model").contains(new Analyzer.Term("dx1001", true)));
        assertTrue(Analyzer.terms("order 2026110512345").contains(new Analyzer.Term("2026110512345", true)));
        assertFalse(Analyzer.terms("size 42").get(1).identifier(), "a short number is not an identifier");
    }

    @Test
    void amountsMomentsAndRanksAreNotIdentifiers() {
        for (String q : List.of("is my day open for march 4th 2019", "book it from the 10th to the 15th", "delivered within 24h",
                "call me at 10am", "a 500ml bottle", "is it 1080p", "due 2019-03-04", "on 04.03.2019", "3/4 of the price",
                "under 49.99", "el 1º de mayo", "le 1er mai", "2-й заказ", "pesanan ke-2")) {
            for (Analyzer.Term t : Analyzer.terms(q)) {
                assertFalse(t.identifier(), q + ": " + t.text() + " names an amount, a moment or a rank");
            }
        }
        // what an identifier looks like still is one, also beside such numbers
        assertTrue(Analyzer.terms("is DX1001 back on the 4th").contains(new Analyzer.Term("dx1001", true)));
        assertTrue(Analyzer.terms("model 5s").contains(new Analyzer.Term("5s", true)));
        assertTrue(Analyzer.terms("order 113-4567890-1234567").contains(new Analyzer.Term("113-4567890-1234567", true)));
        assertTrue(Analyzer.terms("sku 10-4567").contains(new Analyzer.Term("10-4567", true)));
    }

    @Test
    void fullWidthAndMixedScriptText() {
        assertEquals(List.of("dx1001"), texts("ＤＸ１００１"));
        assertEquals(List.of("iphone15", "的", "的壳", "壳"), texts("iPhone15的壳"));
    }
}
