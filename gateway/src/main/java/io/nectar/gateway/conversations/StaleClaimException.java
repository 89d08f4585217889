package io.nectar.gateway.conversations;

/**
 * A write under a claim that is no longer the conversation's: another connection (on this node or
 * another) took it since. The write was refused, never merged.
 */
public final class StaleClaimException extends RuntimeException {

    private final String conversationId;

    public StaleClaimException(String conversationId, long epoch, String current) {
        super("conversation " + conversationId + " was taken over (epoch " + epoch + ", now " + current + ")", null, false, false);
        this.conversationId = conversationId;
    }

    public String conversationId() {
        return conversationId;
    }
}
