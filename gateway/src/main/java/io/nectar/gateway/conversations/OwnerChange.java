package io.nectar.gateway.conversations;

import io.vertx.core.json.JsonObject;

/**
 * What an ownership change did.
 *
 * @param status   {@code CHANGED}; {@code SAME} (the agent holds it already: nothing written); {@code TAKEN}
 *                 (another agent holds it: {@code owner} says who); {@code NOT_OWNER} (the agent does not
 *                 hold it: {@code owner} says who does); {@code NONE} (no such conversation of that merchant)
 * @param previous the owner before, for {@code CHANGED}
 * @param owner    the owner now
 * @param frame    the system frame as stored, with its seq, for {@code CHANGED}; else {@code null}
 * @param language the language of that frame
 */
public record OwnerChange(Status status, String previous, String owner, JsonObject frame, String language) {

    public enum Status { CHANGED, SAME, TAKEN, NOT_OWNER, NONE }

    public static OwnerChange none() {
        return new OwnerChange(Status.NONE, null, null, null, null);
    }

    public static OwnerChange refused(Status status, String owner) {
        return new OwnerChange(status, null, Owner.of(owner), null, null);
    }

    public boolean changed() {
        return status == Status.CHANGED;
    }
}
