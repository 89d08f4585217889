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
    void fullWidthAndMixedScriptText() {
        assertEquals(List.of("dx1001"), texts("ＤＸ１００１"));
        assertEquals(List.of("iphone15", "的", "的壳", "壳"), texts("iPhone15的壳"));
    }
}
