package io.nectar.gateway.numbers;

import io.nectar.gateway.pg.Database;
import io.nectar.gateway.support.Await;
import io.nectar.gateway.support.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How long a merchant's month of numbers takes to compute at 1 million conversations (BENCHMARKS.md,
 * "Merchant numbers"). Not part of the test suite (the name does not end in Test); run with
 * {@code ops/test -q -pl gateway -am -Dtest=MerchantNumbersBench -Dsurefire.failIfNoSpecifiedTests=false}.
 * The month: 1,000,000 conversations over 30 days, a third of them by 200,000 identified shoppers,
 * 10% handed off, 100,000 paid orders, 50,000 ratings, 20,000 reminders, 100,000 offer events, plus
 * another merchant's 200,000 conversations in the same tables.
 */
class MerchantNumbersBench {

    static final int CONVERSATIONS = 1_000_000;

    @Test
    void aMonthOfAMillionConversations() throws Exception {
        Vertx vertx = Vertx.vertx();
        Database db = Database.create(vertx, TestDatabases.fresh("numbersbench"));
        try {
            Await.result(db.migrate(60_000), 120);
            long t0 = System.nanoTime();
            for (String[] m : new String[][]{{"bench", Integer.toString(CONVERSATIONS)}, {"noise", "200000"}}) {
                exec(db, "INSERT INTO conversations (id, merchant_id, created_at, updated_at, language, last_seq, shopper_id, "
                        + "first_shopper_at, first_bot_at, first_agent_at, handoff_at, topic, complaint) "
                        + "SELECT '" + m[0] + "-' || g, '" + m[0] + "', t, t + interval '5 min', 'zh', 4 + g % 7, "
                        + "CASE WHEN g % 3 = 0 THEN 's' || (g % 200000) END, t, t + make_interval(secs => 0.2 + (g % 1000) / 1000.0), "
                        + "CASE WHEN g % 10 = 0 THEN t + interval '3 min' END, CASE WHEN g % 10 = 0 THEN t + interval '1 min' END, "
                        + "'faq-' || (g % 50), g % 97 = 0 "
                        + "FROM (SELECT g, timestamptz '2026-11-01' + (g * 2.59) * interval '1 second' AS t "
                        + "FROM generate_series(1, " + m[1] + ") g) x");
            }
            exec(db, "INSERT INTO order_events (merchant_id, event_id, order_id, shopper_id, type, amount, at) "
                    + "SELECT 'bench', 'e' || g, 'o' || g, 's' || (g * 7 % 200000), 'paid', 10, "
                    + "timestamptz '2026-11-01' + (g * 25) * interval '1 second' FROM generate_series(1, 100000) g");
            exec(db, "INSERT INTO ratings (conversation_id, merchant_id, rating, at) SELECT 'bench-' || (g * 20), 'bench', "
                    + "CASE WHEN g % 5 = 0 THEN 'bad' ELSE 'good' END, timestamptz '2026-11-01' + (g * 50) * interval '1 second' "
                    + "FROM generate_series(1, 50000) g");
            exec(db, "INSERT INTO reminders (merchant_id, order_id, shopper_id, ordered_at, first_due_at, due_at, expires_at, holdout, "
                    + "status, due_unpaid, paid_at) SELECT 'bench', 'r' || g, 's' || g, t, t, t, t + interval '1 day', g % 10 = 0, "
                    + "'sent', true, CASE WHEN g % 4 = 0 THEN t + interval '1 hour' END "
                    + "FROM (SELECT g, timestamptz '2026-11-01' + (g * 120) * interval '1 second' AS t FROM generate_series(1, 20000) g) x");
            exec(db, "INSERT INTO offer_events (merchant_id, conversation_id, offer_id, kind, at) SELECT 'bench', 'bench-' || g, 'o1', "
                    + "CASE WHEN g % 10 = 0 THEN 'bought' WHEN g % 3 = 0 THEN 'clicked' ELSE 'shown' END, "
                    + "timestamptz '2026-11-01' + (g * 25) * interval '1 second' FROM generate_series(1, 100000) g");
            exec(db, "ANALYZE");
            System.out.printf("loaded in %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);

            MerchantNumbers numbers = new MerchantNumbers(db);
            LocalDate from = LocalDate.parse("2026-11-01");
            LocalDate to = LocalDate.parse("2026-11-30");
            long[] took = new long[5];
            JsonObject n = null;
            for (int i = 0; i < took.length; i++) {
                long s = System.nanoTime();
                n = Await.result(numbers.period("bench", from, to), 600);
                took[i] = (System.nanoTime() - s) / 1_000_000;
            }
            long s = System.nanoTime();
            int days = Await.result(numbers.daily("bench", from, to), 600).size();
            long daily = (System.nanoTime() - s) / 1_000_000;
            assertEquals(CONVERSATIONS, n.getLong("conversations"));
            assertEquals(30, days);
            Arrays.sort(took);
            System.out.printf("month of numbers at %,d conversations: %s ms (sorted, 5 runs; median %d ms); daily series %d ms%n%s%n",
                    CONVERSATIONS, Arrays.toString(took), took[2], daily, n.encodePrettily());
        } finally {
            db.close();
            Await.result(vertx.close());
        }
    }

    static void exec(Database db, String sql) throws Exception {
        Await.result(db.pool().query(sql).execute(), 600);
    }
}
