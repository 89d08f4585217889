package io.nectar.index;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits text into the terms of the lexical index. Stateless; any thread.
 * <ul>
 *   <li>Text is NFKC-normalised (full-width letters and digits become ASCII) and lower-cased.</li>
 *   <li>Chinese (and Japanese/Korean) runs give character unigrams and bigrams: no dictionary needed,
 *       and a bigram such as 发货 matches exactly where a unigram alone is too loose.</li>
 *   <li>Other scripts give words: runs of letters and digits. A trailing plural {@code s} is dropped
 *       from Latin words of four or more letters ({@code shoes} = {@code shoe}).</li>
 *   <li><b>Identifiers</b> (SKU codes, order numbers, model names) stay whole: a run of letters and
 *       digits joined by {@code - _ . /} that has a digit and a letter or a joiner ({@code SH-LS-001},
 *       {@code DX1001}), or five or more digits (an order number). A joined identifier also yields its
 *       shorter joined prefixes that are still identifiers, so a variant SKU {@code SH-LS-001-RED-42}
 *       matches its product {@code SH-LS-001}. Identifier terms are marked so the ranking can boost
 *       an exact match. Numbers that name an amount, a moment or a rank are not identifiers, though they
 *       mix digits with letters or joiners: ordinals ({@code 4th}, {@code 1er}, {@code 2-й}, {@code ke-2}),
 *       measures and times ({@code 24h}, {@code 10am}, {@code 500ml}, {@code 1080p}), dates, fractions and
 *       decimals ({@code 2019-03-04}, {@code 3/4}, {@code 49.99}): "is my day open for march 4th" must not
 *       match an entry because one of its phrasings says "the 4th".</li>
 * </ul>
 */
public final class Analyzer {

    /** One term occurrence. */
    public record Term(String text, boolean identifier) {
    }

    private Analyzer() {
    }

    public static List<Term> terms(String text) {
        List<Term> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        int n = s.length();
        int i = 0;
        while (i < n) {
            int cp = s.codePointAt(i);
            if (isCjk(cp)) {
                int start = i;
                while (i < n && isCjk(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
                cjk(s.substring(start, i), out);
            } else if (Character.isLetterOrDigit(cp)) {
                int start = i;
                i = endOfWord(s, i);
                word(s.substring(start, i), out);
            } else {
                i += Character.charCount(cp);
            }
        }
        return out;
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
        return sc == Character.UnicodeScript.HAN || sc == Character.UnicodeScript.HIRAGANA
                || sc == Character.UnicodeScript.KATAKANA || sc == Character.UnicodeScript.HANGUL;
    }

    private static boolean isJoiner(char c) {
        return c == '-' || c == '_' || c == '.' || c == '/';
    }

    /** End of a word starting at {@code i}: letters/digits (not CJK), joined by single joiners. */
    private static int endOfWord(String s, int i) {
        int n = s.length();
        while (i < n) {
            int cp = s.codePointAt(i);
            if (Character.isLetterOrDigit(cp) && !isCjk(cp)) {
                i += Character.charCount(cp);
            } else if (isJoiner(s.charAt(i)) && i + 1 < n && Character.isLetterOrDigit(s.codePointAt(i + 1))
                    && !isCjk(s.codePointAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static void cjk(String run, List<Term> out) {
        int[] cps = run.codePoints().toArray();
        for (int j = 0; j < cps.length; j++) {
            out.add(new Term(new String(cps, j, 1), false));
            if (j + 1 < cps.length) {
                out.add(new Term(new String(cps, j, 2), false));
            }
        }
    }

    private static void word(String w, List<Term> out) {
        if (isIdentifier(w)) {
            out.add(new Term(w, true));
            // shorter joined prefixes that are identifiers themselves: sh-ls-001-red-42 → sh-ls-001-red, sh-ls-001
            for (int j = w.length() - 1; j > 0; j--) {
                if (isJoiner(w.charAt(j))) {
                    String prefix = w.substring(0, j);
                    if (isIdentifier(prefix)) {
                        out.add(new Term(prefix, true));
                    }
                }
            }
            return;
        }
        boolean joined = false;
        for (int j = 0; j < w.length(); j++) {
            joined |= isJoiner(w.charAt(j));
        }
        if (joined) {
            // plain words joined without digits (e-mail, t-shirt): the whole and the parts
            out.add(new Term(w, false));
            for (String part : w.split("[-_./]")) {
                if (!part.isEmpty()) {
                    out.add(new Term(stem(part), false));
                }
            }
            return;
        }
        out.add(new Term(stem(w), false));
    }

    static boolean isIdentifier(String w) {
        boolean digit = false, letter = false, joiner = false;
        for (int j = 0; j < w.length(); j++) {
            char c = w.charAt(j);
            if (Character.isDigit(c)) {
                digit = true;
            } else if (isJoiner(c)) {
                joiner = true;
            } else {
                letter = true;
            }
        }
        if (!digit) {
            return false;
        }
        if (QUANTITY.matcher(w).matches()) {
            return false;
        }
        return letter || joiner || w.length() >= 5;
    }

    /**
     * An amount, a moment or a rank written with digits: an ordinal, a number with a unit or time-of-day
     * suffix, a date, a fraction or a decimal (text already NFKC-normalised and lower-cased, so {@code 1º}
     * arrives as {@code 1o}).
     */
    private static final Pattern QUANTITY = Pattern.compile(
            "\\d+(?:\\.\\d+)?(?:st|nd|rd|th|o|a|er|re|e|eme|ème|am|pm|h|hr|hrs|min|mins|sec|secs|ms|d|day|days|wk|wks"
                    + "|yr|yrs|kg|g|mg|lb|lbs|oz|ml|cl|l|cm|mm|m|km|in|ft|x|k|gb|mb|tb|p|mp|w|kw|v|mah)"
                    + "|\\d+-[а-яё]{1,3}|ke-\\d+"
                    + "|\\d{1,4}[./-]\\d{1,2}(?:[./-]\\d{1,4})?");

    private static String stem(String w) {
        int n = w.length();
        if (n >= 4 && w.charAt(n - 1) == 's' && w.charAt(n - 2) != 's' && isAsciiLetters(w)) {
            return w.substring(0, n - 1);
        }
        return w;
    }

    private static boolean isAsciiLetters(String w) {
        for (int j = 0; j < w.length(); j++) {
            char c = w.charAt(j);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }
}
