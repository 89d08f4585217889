package io.nectar.gateway.pg;

import io.nectar.gateway.support.Await;
import io.nectar.gateway.support.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schema migrations against a real PostgreSQL: applied once however many nodes start together. */
class MigrationsTest {

    Vertx a;
    Vertx b;

    @BeforeEach
    void start() {
        a = Vertx.vertx();
        b = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        Await.result(a.close());
        Await.result(b.close());
    }

    @Test
    void twoNodesStartingTogetherApplyEachMigrationOnce() throws Exception {
        String url = TestDatabases.fresh("migrate");
        List<Migrations.Migration> available = Migrations.available();
        assertTrue(available.size() >= 1 && available.get(0).version() == 1, available.toString());
        Database one = Database.create(a, url);
        Database two = Database.create(b, url);
        List<Database> more = new ArrayList<>();
        try {
            // four nodes at once, two of them on the same event loops
            more.add(Database.create(a, url));
            more.add(Database.create(b, url));
            List<Future<List<Migrations.Applied>>> runs = new ArrayList<>();
            runs.add(one.migrate(10_000));
            runs.add(two.migrate(10_000));
            more.forEach(d -> runs.add(d.migrate(10_000)));
            int applied = 0;
            for (Future<List<Migrations.Applied>> r : runs) {
                applied += Await.result(r).size();
            }
            assertEquals(available.size(), applied, "every migration applied exactly once over all nodes");

            List<Row> rows = new ArrayList<>();
            Await.result(one.pool().query("SELECT version, checksum FROM schema_migrations ORDER BY version").execute()).forEach(rows::add);
            assertEquals(available.size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(available.get(i).version(), rows.get(i).getInteger("version"));
                assertEquals(available.get(i).checksum(), rows.get(i).getString("checksum"));
            }
            // every table of the schema is there
            for (String table : List.of("merchants", "faq_entries", "products", "promotions", "flows", "store_documents",
                    "conversations", "messages", "handoffs", "order_events", "offers", "offer_events", "ratings", "reminders",
                    "console_admins", "console_sessions")) {
                Row r = Await.result(one.pool().query("SELECT to_regclass('public." + table + "') IS NOT NULL AS present").execute())
                        .iterator().next();
                assertTrue(r.getBoolean("present"), table);
            }
            // a restart applies nothing
            assertEquals(List.of(), Await.result(two.migrate(10_000)));
        } finally {
            one.close();
            two.close();
            more.forEach(Database::close);
        }
    }

    @Test
    void aMigrationChangedAfterItWasAppliedStopsStartUp() throws Exception {
        String url = TestDatabases.fresh("migrate");
        Database db = Database.create(a, url);
        try {
            Await.result(db.migrate(10_000));
            Await.result(db.pool().query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1").execute());
            Throwable t = Await.failure(db.migrate(10_000));
            assertTrue(t.getMessage().contains("V1__schema was changed after it was applied"), t.getMessage());
        } finally {
            db.close();
        }
    }

    @Test
    void anUnreachableServerIsNamedInTheError() throws Exception {
        Database db = Database.create(a, "postgresql://nobody@127.0.0.1:1/nowhere");
        try {
            Throwable t = Await.failure(db.migrate(600));
            assertTrue(t.getMessage().contains("PostgreSQL at 127.0.0.1:1/nowhere is not reachable"), t.getMessage());
        } finally {
            db.close();
        }
    }
}
