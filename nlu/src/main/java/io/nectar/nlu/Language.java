package io.nectar.nlu;

import java.util.Locale;

/**
 * Languages Nectar serves. {@link #code()} is the ISO 639-1 code used on the wire and in store files.
 */
public enum Language {
    ZH("zh"), EN("en"), PT("pt"), ES("es"), ID("id"), TH("th"), VI("vi"), RU("ru");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The language with this ISO code, or {@code null} when Nectar does not serve it. */
    public static Language fromCode(String code) {
        if (code == null) {
            return null;
        }
        String c = code.toLowerCase(Locale.ROOT);
        int dash = c.indexOf('-');
        if (dash > 0) {
            c = c.substring(0, dash);
        }
        for (Language l : values()) {
            if (l.code.equals(c)) {
                return l;
            }
        }
        return null;
    }
}
