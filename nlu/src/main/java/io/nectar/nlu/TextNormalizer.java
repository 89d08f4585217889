package io.nectar.nlu;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Canonical form of a shopper's text, used as a cache key and for lexical matching: NFKC (full-width
 * to half-width), lower case, whitespace collapsed, trailing punctuation and filler particles dropped.
 * Pure function, any thread.
 */
public final class TextNormalizer {

    private TextNormalizer() {
    }

    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.appendCodePoint(cp);
        }
        int end = out.length();
        while (end > 0 && isTrailingNoise(out.charAt(end - 1))) {
            end--;
        }
        return out.substring(0, end);
    }

    private static boolean isTrailingNoise(char c) {
        switch (c) {
            case '?': case '!': case '.': case ',': case '~': case '…': case '。': case '！': case '？':
            case '，': case '、': case '呢': case '呀': case '啊': case '吧': case '哦': case '嘛':
                return true;
            default:
                return false;
        }
    }
}
