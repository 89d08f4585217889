package io.nectar.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Console accounts: a merchant's admins, each a user name and a PBKDF2 password hash in PostgreSQL's
 * {@code console_admins}. The demo store gets {@value #DEMO_USER} / {@value #DEMO_PASSWORD} (change it).
 */
public final class AdminAccounts {

    public static final String DEMO_MERCHANT = "demo";
    public static final String DEMO_USER = "admin";
    public static final String DEMO_PASSWORD = "demo-admin-password-change-me";
    static final String UPSERT = "INSERT INTO console_admins (merchant_id, username, password_hash) VALUES ($1, $2, $3) "
            + "ON CONFLICT (merchant_id, username) DO UPDATE SET password_hash = EXCLUDED.password_hash";
    static final String CREATE_IF_ABSENT = "INSERT INTO console_admins (merchant_id, username, password_hash) "
            + "SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM merchants WHERE id = $1) ON CONFLICT DO NOTHING";
    static final String DEMO_ADMIN_MISSING = "SELECT EXISTS (SELECT 1 FROM merchants WHERE id = $1) "
            + "AND NOT EXISTS (SELECT 1 FROM console_admins WHERE merchant_id = $1 AND username = $2)";
    static final String HASH = "SELECT password_hash FROM console_admins WHERE merchant_id = $1 AND username = $2";

    private AdminAccounts() {
    }

    /** Creates or replaces an admin (hashing here: call off the event loop, or accept the ~100 ms). */
    public static Future<Void> put(SqlClient c, String merchant, String user, String password) {
        return c.preparedQuery(UPSERT).execute(Tuple.of(merchant, user, PasswordHashing.hash(password.toCharArray()))).mapEmpty();
    }

    /**
     * The demo store's documented admin, when the demo merchant exists and has no such admin. The password
     * is hashed (a second of CPU, on a worker thread) only when the admin is still to be made, not at every start.
     */
    public static Future<Void> seedDemo(Vertx vertx, SqlClient c) {
        return c.preparedQuery(DEMO_ADMIN_MISSING).execute(Tuple.of(DEMO_MERCHANT, DEMO_USER))
                .compose(rows -> !rows.iterator().next().getBoolean(0)
                ? Future.succeededFuture()
                : vertx.executeBlocking(() -> PasswordHashing.hash(DEMO_PASSWORD.toCharArray()), false)
                        .compose(hash -> c.preparedQuery(CREATE_IF_ABSENT).execute(Tuple.of(DEMO_MERCHANT, DEMO_USER, hash)))
                        .mapEmpty());
    }

    /** Whether {@code password} is the admin's; the hash is checked on a worker thread. */
    public static Future<Boolean> check(Vertx vertx, SqlClient c, String merchant, String user, String password) {
        return c.preparedQuery(HASH).execute(Tuple.of(merchant, user)).compose(rows -> {
            String stored = rows.size() == 0 ? null : rows.iterator().next().getString("password_hash");
            // a missing user costs the same time as a wrong password
            return vertx.executeBlocking(() -> PasswordHashing.verify(password.toCharArray(), stored != null ? stored : PasswordHashing.dummyHash())
                    && stored != null, false);
        });
    }

}
