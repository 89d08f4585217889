package io.nectar.gateway.auth;

import io.nectar.gateway.conversations.Owner;
import io.vertx.core.json.JsonObject;

/**
 * A signed-in agent: who, for which merchant, until when. The token is only ever in the agent's cookie
 * (and in this object on the node that made it); stores keep its SHA-256.
 */
public record AgentSession(String token, String merchant, String login, String name, long expiresAt) {

    /** The conversation owner value of this agent ({@code agent:<login>}). */
    public String owner() {
        return Owner.agent(login);
    }

    /** What the workbench may show of the agent (never the token). */
    public JsonObject toJson() {
        return new JsonObject().put("merchant", merchant).put("login", login).put("name", name).put("expiresAt", expiresAt);
    }
}
