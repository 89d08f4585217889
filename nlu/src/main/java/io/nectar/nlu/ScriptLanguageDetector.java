package io.nectar.nlu;

/**
 * Language identification by writing system. Han characters mean Chinese, Thai script Thai, Cyrillic
 * Russian; Latin script falls back to a default (English; {@code null} lets a caller tell "no script
 * decided"). Exact for the zh/en split the bundled encoders need; Latin-script languages need a
 * statistical detector ({@link LanguageIdentifier}). Pure function, any thread.
 */
public final class ScriptLanguageDetector {

    private final Language latinDefault;

    public ScriptLanguageDetector(Language latinDefault) {
        this.latinDefault = latinDefault;
    }

    public Language detect(String text) {
        int han = 0, thai = 0, cyrillic = 0, latin = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript script;
            try {
                script = Character.UnicodeScript.of(cp);
            } catch (IllegalArgumentException e) {
                continue;
            }
            switch (script) {
                case HAN -> han++;
                case THAI -> thai++;
                case CYRILLIC -> cyrillic++;
                case LATIN -> latin++;
                default -> { }
            }
        }
        // One Han character outweighs a few Latin letters: "iPhone15有货吗" is Chinese.
        if (han > 0 && han * 3 >= Math.min(latin, 6)) {
            return Language.ZH;
        }
        if (thai > 0 && thai >= latin) {
            return Language.TH;
        }
        if (cyrillic > 0 && cyrillic >= latin) {
            return Language.RU;
        }
        return latinDefault;
    }
}
