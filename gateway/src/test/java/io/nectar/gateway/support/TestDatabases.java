package io.nectar.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A fresh, empty database on the test run's PostgreSQL server ({@link TestServers#pgUrl()}) for each
 * test that asks, so tests never see each other's rows. Blocking; test threads only.
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** Creates database {@code <prefix>_<random>} and returns its URL. */
    public static String fresh(String prefix) throws Exception {
        String admin = TestServers.pgUrl();
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase();
        Vertx vertx = Vertx.vertx();
        try {
            PgConnection conn = PgConnection.connect(vertx, PgConnectOptions.fromUri(admin))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            try {
                conn.query("CREATE DATABASE " + name).execute().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } finally {
                conn.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        int slash = admin.lastIndexOf('/');
        int query = admin.indexOf('?', slash);
        return admin.substring(0, slash + 1) + name + (query < 0 ? "" : admin.substring(query));
    }
}
