package io.nectar.gateway.webhook;

import io.nectar.gateway.store.StoreException;
import io.nectar.gateway.store.StoreReader;
import io.vertx.core.json.JsonObject;

import java.net.URI;

/**
 * Where a merchant's system hears of conversation events, from store.yaml:
 * {@code webhook: {url: "https://shop.example/nectar-events", secret: "16+ characters"}}. Each request is
 * signed with the secret (HMAC-SHA256 over the body).
 */
public record WebhookSettings(String url, String secret) {

    public static final String FIELD = "webhook";

    /** The merchant's webhook, or {@code null} when store.yaml sets none. Throws {@link StoreException} on a mistake. */
    public static WebhookSettings of(JsonObject storeYaml) {
        Object v = storeYaml == null ? null : storeYaml.getValue(FIELD);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonObject w)) {
            throw new StoreException(StoreReader.STORE + ": 'webhook' must be {url, secret}");
        }
        String url = w.getValue("url") instanceof String s ? s.strip() : null;
        String secret = w.getValue("secret") instanceof String s ? s.strip() : null;
        URI uri;
        try {
            uri = url == null ? null : URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new StoreException(StoreReader.STORE + ": webhook 'url' must be an http(s) URL, got " + url);
        }
        if (secret == null || secret.length() < 16) {
            throw new StoreException(StoreReader.STORE + ": webhook 'secret' must be at least 16 characters");
        }
        return new WebhookSettings(url, secret);
    }
}
