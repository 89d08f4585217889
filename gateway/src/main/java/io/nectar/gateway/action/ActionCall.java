package io.nectar.gateway.action;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request to the merchant's systems that a dialogue flow makes: look up an order, exchange an item.
 *
 * @param action         the action name from {@code flows.yaml}
 * @param params         the flow's slots and results the action needs, plus {@code language}
 * @param idempotencyKey the same for every attempt of the same logical request (retries after a failure
 *                       included), so the merchant's system can act on it once
 * @param purpose        {@code lookup:<slot>} or {@code final}
 */
public record ActionCall(String action, JsonObject params, String idempotencyKey, String purpose, String flow,
                         String conversationId) {

    public JsonObject toJson() {
        return new JsonObject().put("action", action).put("params", params.copy()).put("idempotencyKey", idempotencyKey)
                .put("purpose", purpose).put("flow", flow).put("conversationId", conversationId);
    }

    public static ActionCall fromJson(JsonObject j) {
        return new ActionCall(j.getString("action"), j.getJsonObject("params", new JsonObject()), j.getString("idempotencyKey"),
                j.getString("purpose"), j.getString("flow"), j.getString("conversationId"));
    }

    /** A key derived from the conversation, the flow instance, the action and its parameters. */
    public static String key(String conversationId, String flowInstance, String action, JsonObject params) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            String canonical = conversationId + "\n" + flowInstance + "\n" + action + "\n" + canonical(params);
            return HexFormat.of().formatHex(d.digest(canonical.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonical(JsonObject o) {
        java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>(o.getMap());
        return new JsonObject(new java.util.LinkedHashMap<>(sorted)).encode();
    }
}
