package io.nectar.gateway.conversations;

/**
 * Who answers a conversation's shopper, one value per conversation kept with its state: the bot
 * ({@value #BOT}, also when nothing is recorded), a human agent ({@code agent:<login>}) or nobody any more
 * ({@value #CLOSED}: an agent ended it; the bot answers again when the shopper writes). While an agent owns
 * a conversation the bot never answers: every commit checks it (docs/decisions.md).
 */
public final class Owner {

    public static final String BOT = "bot";
    public static final String CLOSED = "closed";
    private static final String AGENT = "agent:";

    private Owner() {
    }

    /** The owner value of an agent. */
    public static String agent(String login) {
        return AGENT + login;
    }

    public static boolean isAgent(String owner) {
        return owner != null && owner.startsWith(AGENT);
    }

    /** The agent's login of an agent owner, else {@code null}. */
    public static String login(String owner) {
        return isAgent(owner) ? owner.substring(AGENT.length()) : null;
    }

    /** {@code null} and the empty string are the bot. */
    public static String of(String stored) {
        return stored == null || stored.isEmpty() ? BOT : stored;
    }

    /** What a shopper's client may know: {@code bot}, {@code agent} or {@code closed} (never who). */
    public static String kind(String owner) {
        return isAgent(owner) ? "agent" : of(owner);
    }
}
