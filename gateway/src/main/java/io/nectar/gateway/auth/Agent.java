package io.nectar.gateway.auth;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A merchant's human agent: the login names the agent within its merchant (and in conversation owners,
 * {@code agent:<login>}); {@code name} is what shoppers and colleagues see.
 *
 * @param passwordHash the password as {@link PasswordHashing} stored it
 */
public record Agent(String merchant, String login, String name, String passwordHash) {

    /** 1–64 characters: letters, digits, {@code . _ - @}, starting with a letter or digit; compared lower-cased. */
    public static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    public static final int MAX_NAME_CHARS = 64;

    public Agent {
        login = normalize(login);
        name = name == null || name.isBlank() ? login : name.strip();
    }

    /** A login as it is compared and stored: lower case. */
    public static String normalize(String login) {
        return login == null ? null : login.strip().toLowerCase(Locale.ROOT);
    }

    public static boolean validLogin(String login) {
        return login != null && LOGIN.matcher(login.strip()).matches();
    }
}
