package io.nectar.gateway.conversations;

import io.nectar.gateway.transcript.LoggedMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change of a conversation's owner asked by an agent, with the system message the shopper sees for it
 * in each language the store speaks (the conversation's is used; the first when it has none). The
 * messages carry no seq: the store gives it.
 *
 * @param agent the acting agent's owner value ({@code agent:<login>})
 */
public record OwnerRequest(Action action, String agent, Map<String, LoggedMessage> messages) {

    public enum Action {
        /** an agent takes the conversation from the bot (refused while another agent holds it) */
        TAKE,
        /** the holding agent gives it back to the bot */
        HAND_BACK,
        /** the holding agent ends it */
        CLOSE;

        public String code() {
            return switch (this) {
                case TAKE -> "take";
                case HAND_BACK -> "handback";
                case CLOSE -> "close";
            };
        }
    }

    public OwnerRequest {
        if (messages.isEmpty() || !Owner.isAgent(agent)) {
            throw new IllegalArgumentException("an ownership change needs an agent and at least one message");
        }
        messages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(messages));
    }

    /** The message in {@code language}, else the first. */
    public LoggedMessage message(String language) {
        LoggedMessage m = language == null ? null : messages.get(language);
        return m != null ? m : messages.values().iterator().next();
    }
}
