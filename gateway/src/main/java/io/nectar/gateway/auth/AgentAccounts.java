package io.nectar.gateway.auth;

import io.vertx.core.Future;

/**
 * Where a merchant's agents are looked up at sign-in: PostgreSQL's {@code agents} table
 * ({@link PgAgentAccounts}), or, embedded, the {@code agents} of the merchant's store.yaml
 * ({@link StoreAgents}). Futures complete on the caller's context.
 */
public interface AgentAccounts {

    /** The merchant's agent with this login (compared lower-cased), or {@code null} (also for a disabled one). */
    Future<Agent> find(String merchant, String login);
}
