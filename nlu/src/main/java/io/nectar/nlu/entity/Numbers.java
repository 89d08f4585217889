package io.nectar.nlu.entity;

import java.util.Locale;
import java.util.Map;

/** Numbers written as digits, Chinese numerals (两, 二十, 三百九十九) or English words (two). */
final class Numbers {

    static final String ZH_DIGITS = "零〇一二两三四五六七八九十百千万";
    private static final Map<String, Integer> EN = Map.ofEntries(
            Map.entry("a", 1), Map.entry("an", 1), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
            Map.entry("twelve", 12), Map.entry("a couple of", 2), Map.entry("a pair of", 1), Map.entry("single", 1));

    private Numbers() {
    }

    /** Digits, a Chinese numeral or an English number word; {@code -1} when it is none of them. */
    static long parse(String s) {
        if (s == null || s.isEmpty()) {
            return -1;
        }
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.chars().allMatch(Character::isDigit)) {
            return t.length() > 15 ? -1 : Long.parseLong(t);
        }
        Integer en = EN.get(t);
        if (en != null) {
            return en;
        }
        return parseChinese(t);
    }

    /** 三百九十九 → 399, 十二 → 12, 两 → 2, 二〇二六 → 2026; {@code -1} when not a Chinese numeral. */
    static long parseChinese(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (ZH_DIGITS.indexOf(s.charAt(i)) < 0) {
                return -1;
            }
        }
        boolean hasUnit = s.chars().anyMatch(c -> c == '十' || c == '百' || c == '千' || c == '万');
        if (!hasUnit) {
            // digit by digit: 二〇二六
            long v = 0;
            for (int i = 0; i < s.length(); i++) {
                v = v * 10 + digit(s.charAt(i));
            }
            return v;
        }
        long total = 0, section = 0, number = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '十', '百', '千' -> {
                    int unit = c == '十' ? 10 : c == '百' ? 100 : 1000;
                    section += (number == 0 ? 1 : number) * unit;
                    number = 0;
                }
                case '万' -> {
                    total += (section + number) * 10_000;
                    section = 0;
                    number = 0;
                }
                default -> number = digit(c);
            }
        }
        return total + section + number;
    }

    private static int digit(char c) {
        return switch (c) {
            case '一' -> 1;
            case '二', '两' -> 2;
            case '三' -> 3;
            case '四' -> 4;
            case '五' -> 5;
            case '六' -> 6;
            case '七' -> 7;
            case '八' -> 8;
            case '九' -> 9;
            default -> 0;
        };
    }
}
