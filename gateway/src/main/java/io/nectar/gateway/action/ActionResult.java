package io.nectar.gateway.action;

import io.vertx.core.json.JsonObject;

/**
 * How an action ended.
 *
 * @param status {@code OK}; {@code REJECTED} when the merchant's system answered but refused (no such
 *               order, already shipped): said to the shopper as is; {@code UNAVAILABLE} when it did not
 *               answer usefully after the retries (timeouts, 5xx, connection refused)
 * @param data   the result on success (may be empty)
 * @param error  a message for the shopper (REJECTED) or for logs (UNAVAILABLE)
 */
public record ActionResult(Status status, JsonObject data, String error, String code) {

    public enum Status { OK, REJECTED, UNAVAILABLE }

    public static ActionResult ok(JsonObject data) {
        return new ActionResult(Status.OK, data == null ? new JsonObject() : data, null, null);
    }

    public static ActionResult rejected(String code, String message) {
        return new ActionResult(Status.REJECTED, new JsonObject(), message, code);
    }

    public static ActionResult unavailable(String why) {
        return new ActionResult(Status.UNAVAILABLE, new JsonObject(), why, "unavailable");
    }
}
