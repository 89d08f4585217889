package io.nectar.gateway.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Password hashes for people who sign in (agents): PBKDF2 with HMAC-SHA256 from the JDK, a random 16-byte
 * salt per password and {@value #ITERATIONS} iterations (OWASP's figure for PBKDF2-HMAC-SHA256; about
 * 0.2–0.3 s on one core here), stored as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64). The
 * iteration count is part of the stored value, so it can be raised later without breaking old hashes.
 * Slow on purpose: call it on a worker thread, never an event loop. Thread-safe.
 */
public final class PasswordHashing {

    public static final int ITERATIONS = 600_000;
    static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final Pattern FORMAT = Pattern.compile("pbkdf2-sha256\\$(\\d{4,9})\\$([A-Za-z0-9+/]{22}(?:==)?)\\$([A-Za-z0-9+/]{43}=?)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashing() {
    }

    /** A new hash of {@code password} with a fresh salt. */
    public static String hash(char[] password) {
        return hash(password, ITERATIONS);
    }

    static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] dk = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(dk);
    }

    /**
     * A hash of nobody's password, for checking a login that does not exist against: the check then costs
     * what a wrong password costs. Made on first use (it takes as long as any hash): call where hashing may block.
     */
    public static String dummyHash() {
        return Dummy.HASH;
    }

    private static final class Dummy {
        static final String HASH = hash("not anybody's password".toCharArray());
    }

    /** Whether {@code encoded} is a hash this class can check (the format, not the password). */
    public static boolean wellFormed(String encoded) {
        return encoded != null && FORMAT.matcher(encoded).matches();
    }

    /**
     * Whether {@code password} is the one hashed in {@code encoded}; false for a malformed hash. Compares in
     * constant time.
     */
    public static boolean verify(char[] password, String encoded) {
        Matcher m = encoded == null ? null : FORMAT.matcher(encoded);
        if (m == null || !m.matches()) {
            return false;
        }
        int iterations = Integer.parseInt(m.group(1));
        byte[] salt = Base64.getDecoder().decode(m.group(2));
        byte[] expected = Base64.getDecoder().decode(m.group(3));
        byte[] actual = derive(password, salt, iterations);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Overwrites a password's characters once they are no longer needed. */
    public static void wipe(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
