package io.nectar.gateway.auth;

import io.nectar.gateway.pg.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/** Agents in PostgreSQL's {@code agents} table (V2__agents.sql), the same for every node. */
public final class PgAgentAccounts implements AgentAccounts {

    static final String FIND = "SELECT login, name, password_hash FROM agents WHERE merchant_id = $1 AND login = $2 AND NOT disabled";
    static final String ADD = "INSERT INTO agents (merchant_id, login, name, password_hash) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (merchant_id, login) DO NOTHING";
    static final String SET = "INSERT INTO agents (merchant_id, login, name, password_hash) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (merchant_id, login) DO UPDATE SET name = EXCLUDED.name, password_hash = EXCLUDED.password_hash, disabled = false";

    private final Database db;

    public PgAgentAccounts(Database db) {
        this.db = db;
    }

    @Override
    public Future<Agent> find(String merchant, String login) {
        if (login == null) {
            return Future.succeededFuture(null);
        }
        return db.pool().preparedQuery(FIND).execute(Tuple.of(merchant, Agent.normalize(login))).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return null;
            }
            Row r = it.next();
            return new Agent(merchant, r.getString("login"), r.getString("name"), r.getString("password_hash"));
        });
    }

    /**
     * Adds agents that are not there yet (a store import: store.yaml's agents never overwrite one whose
     * password was changed since); part of the caller's transaction.
     */
    public static Future<Void> addMissing(SqlConnection conn, List<Agent> agents) {
        if (agents.isEmpty()) {
            return Future.succeededFuture();
        }
        return conn.preparedQuery(ADD).executeBatch(agents.stream()
                .map(a -> Tuple.of(a.merchant(), a.login(), a.name(), a.passwordHash())).toList()).mapEmpty();
    }

    /** Creates an agent or sets its name and password (ops/store add-agent). */
    public static Future<Void> put(SqlConnection conn, Agent a) {
        return conn.preparedQuery(SET).execute(Tuple.of(a.merchant(), a.login(), a.name(), a.passwordHash())).mapEmpty();
    }
}
