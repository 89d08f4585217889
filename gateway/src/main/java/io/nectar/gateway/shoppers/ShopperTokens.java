package io.nectar.gateway.shoppers;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Shopper tokens: how a chat knows who its shopper is (docs/protocol.md, "Shopper tokens"). The merchant's
 * page, which knows its signed-in shopper, passes the widget a token
 * {@code <shopper id, base64url>.<expiry, epoch seconds>.<signature, base64url>}, the signature being
 * HMAC-SHA256 with the store's {@code shopperTokenSecret} over {@code merchant|shopper|expiry}. The gateway
 * checks it at connect; without one (or with a bad one) the shopper is anonymous. Pure; any thread.
 */
public final class ShopperTokens {

    /** Longest shopper id. */
    public static final int MAX_SHOPPER_ID = 128;
    private static final Pattern SHOPPER_ID = Pattern.compile("[\\p{L}\\p{N}._:@+-]{1,128}");

    /** Why a token was refused, or the shopper it names. */
    public record Verdict(String shopperId, String problem) {
        public boolean ok() {
            return shopperId != null;
        }
    }

    private ShopperTokens() {
    }

    /** A token for {@code shopperId} valid until {@code expiresEpochSeconds}. */
    public static String sign(String secret, String merchantId, String shopperId, long expiresEpochSeconds) {
        if (!SHOPPER_ID.matcher(shopperId).matches()) {
            throw new IllegalArgumentException("a shopper id is 1-128 letters, digits or . _ : @ + -");
        }
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(shopperId.getBytes(StandardCharsets.UTF_8));
        return id + "." + expiresEpochSeconds + "." + mac(secret, merchantId, shopperId, expiresEpochSeconds);
    }

    /** Checks a token at {@code nowMillis}; {@code secret} null: the store takes no shopper tokens. */
    public static Verdict verify(String secret, String merchantId, String token, long nowMillis) {
        if (secret == null) {
            return new Verdict(null, "this store takes no shopper tokens (no shopperTokenSecret)");
        }
        if (token == null || token.length() > 512) {
            return new Verdict(null, "malformed shopper token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return new Verdict(null, "malformed shopper token");
        }
        String shopper;
        long expires;
        try {
            shopper = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
            expires = Long.parseLong(parts[1]);
        } catch (IllegalArgumentException e) {
            return new Verdict(null, "malformed shopper token");
        }
        if (!SHOPPER_ID.matcher(shopper).matches()) {
            return new Verdict(null, "malformed shopper token");
        }
        byte[] expected = mac(secret, merchantId, shopper, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict(null, "bad shopper token signature");
        }
        if (expires * 1000 < nowMillis) {
            return new Verdict(null, "expired shopper token");
        }
        return new Verdict(shopper, null);
    }

    private static String mac(String secret, String merchantId, String shopperId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((merchantId + "|" + shopperId + "|" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
