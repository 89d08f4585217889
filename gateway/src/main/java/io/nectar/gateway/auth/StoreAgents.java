package io.nectar.gateway.auth;

import io.nectar.gateway.store.StoreException;
import io.nectar.gateway.store.StoreReader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Agents listed in a store.yaml ({@code agents: [{login, name, passwordHash}]}): the embedded mode's
 * accounts, and what an import into PostgreSQL copies into its {@code agents} table. {@link #read} checks
 * them when a store is read, so a mistake stops the node like any other store error. Read on every
 * sign-in from the merchant's current settings (a few entries); any thread.
 */
public final class StoreAgents implements AgentAccounts {

    public static final String FIELD = "agents";

    private final Function<String, JsonObject> settings;

    /** @param settings store.yaml of a merchant as JSON, or {@code null} for an unknown merchant */
    public StoreAgents(Function<String, JsonObject> settings) {
        this.settings = settings;
    }

    @Override
    public Future<Agent> find(String merchant, String login) {
        JsonObject s = settings.apply(merchant);
        if (s == null || login == null) {
            return Future.succeededFuture(null);
        }
        String wanted = Agent.normalize(login);
        for (Agent a : read(merchant, s)) {
            if (a.login().equals(wanted)) {
                return Future.succeededFuture(a);
            }
        }
        return Future.succeededFuture(null);
    }

    /** The agents of a store.yaml; throws {@link StoreException} naming the entry and the fix. */
    public static List<Agent> read(String merchant, JsonObject storeYaml) {
        Object v = storeYaml.getValue(FIELD);
        List<Agent> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof JsonArray list)) {
            throw new StoreException(StoreReader.STORE + ": 'agents' must be a list of {login, name, passwordHash}");
        }
        Set<String> logins = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = StoreReader.STORE + ": agents[" + i + "]";
            if (!(list.getValue(i) instanceof JsonObject a)) {
                throw new StoreException(where + " must be a mapping {login, name, passwordHash}");
            }
            for (String key : a.fieldNames()) {
                if (!Set.of("login", "name", "passwordHash").contains(key)) {
                    throw new StoreException(where + ": unknown field '" + key + "' (login, name, passwordHash)");
                }
            }
            String login = a.getValue("login") instanceof String s ? s : null;
            if (!Agent.validLogin(login)) {
                throw new StoreException(where + ": 'login' must be 1-64 letters, digits, '.', '_', '-' or '@'");
            }
            String hash = a.getValue("passwordHash") instanceof String s ? s : null;
            if (!PasswordHashing.wellFormed(hash)) {
                throw new StoreException(where + " (" + login + "): 'passwordHash' is not a password hash. Fix: put the output "
                        + "of 'ops/store password-hash' there (the password itself is never stored)");
            }
            Object name = a.getValue("name");
            if (name != null && !(name instanceof String s && s.strip().length() <= Agent.MAX_NAME_CHARS)) {
                throw new StoreException(where + " (" + login + "): 'name' must be text of at most " + Agent.MAX_NAME_CHARS + " characters");
            }
            if (!logins.add(Agent.normalize(login))) {
                throw new StoreException(where + ": login '" + login + "' appears twice");
            }
            out.add(new Agent(merchant, login, (String) name, hash));
        }
        return out;
    }
}
