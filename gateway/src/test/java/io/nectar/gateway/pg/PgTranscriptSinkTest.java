package io.nectar.gateway.pg;

import io.nectar.gateway.handoff.HandoffDesk;
import io.nectar.gateway.support.Await;
import io.nectar.gateway.support.TestDatabases;
import io.nectar.gateway.support.TestServers;
import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL transcript sink, reader and handoff queue against a real server: idempotent batches,
 * handoffs opened once and kept up to date, tenancy, and a server restart in the middle.
 */
class PgTranscriptSinkTest {

    static Vertx vertx;
    static Database db;
    static PgTranscriptSink sink;
    static PgTranscriptReader reader;
    static PgHandoffQueue queue;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        db = Database.create(vertx, TestDatabases.fresh("sink"));
        Await.result(db.migrate(10_000));
        sink = new PgTranscriptSink(db);
        reader = new PgTranscriptReader(db);
        queue = new PgHandoffQueue(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        Await.result(vertx.close());
    }

    static LoggedMessage shopper(String conv, long seq, String text, long at) {
        return new LoggedMessage(conv, "shop-a", seq, "shopper", "m" + seq, text, null, null, "zh", at, null, null,
                new JsonObject().put("type", "message").put("id", "m" + seq).put("text", text).put("seq", seq));
    }

    static LoggedMessage bot(String conv, long seq, String text, long at, String handoff, JsonObject dialogue) {
        return new LoggedMessage(conv, "shop-a", seq, "bot", "m" + (seq - 1), text, "shipping-time", "faq", "en", at, handoff, dialogue,
                new JsonObject().put("type", "reply").put("replyTo", "m" + (seq - 1)).put("text", text).put("seq", seq));
    }

    static long count(String sql) throws Exception {
        return Await.result(db.pool().query(sql).execute()).iterator().next().getLong(0);
    }

    @Test
    void theSameBatchTwiceWritesEachMessageOnce() throws Exception {
        List<LoggedMessage> batch = new ArrayList<>();
        for (String conv : List.of("c-1", "c-2", "c-3")) {
            for (int seq = 1; seq <= 6; seq += 2) {
                batch.add(shopper(conv, seq, "问题 " + seq, 1_000L * seq));
                batch.add(bot(conv, seq + 1, "answer " + seq, 1_000L * seq + 5, null, null));
            }
        }
        Await.result(sink.write(batch));
        Await.result(sink.write(batch));
        // and once more, shuffled and split across two overlapping batches
        List<LoggedMessage> shuffled = new ArrayList<>(batch);
        Collections.shuffle(shuffled, new Random(7));
        Await.result(sink.write(shuffled.subList(0, 12)));
        Await.result(sink.write(shuffled.subList(6, 18)));

        assertEquals(18, count("SELECT count(*) FROM messages WHERE conversation_id IN ('c-1','c-2','c-3')"));
        assertEquals(3, count("SELECT count(*) FROM conversations WHERE id IN ('c-1','c-2','c-3')"));
        Row c = Await.result(db.pool().query("SELECT last_seq, language, created_at, updated_at FROM conversations WHERE id = 'c-2'")
                .execute()).iterator().next();
        assertEquals(6, c.getLong("last_seq"));
        assertEquals("en", c.getString("language"), "the language of the newest message");
        assertEquals(1_000L, c.getOffsetDateTime("created_at").toInstant().toEpochMilli());
        assertEquals(5_005L, c.getOffsetDateTime("updated_at").toInstant().toEpochMilli());

        List<JsonObject> frames = Await.result(reader.framesAfter("shop-a", "c-2", 2, 50));
        assertEquals(List.of(3L, 4L, 5L, 6L), frames.stream().map(f -> f.getLong("seq")).toList());
        assertEquals("问题 3", frames.get(0).getString("text"));
        assertEquals(List.of(5L, 6L), Await.result(reader.framesAfter("shop-a", "c-2", 0, 2)).stream().map(f -> f.getLong("seq")).toList(),
                "the newest ones when there are more than the limit");
        assertEquals(List.of(), Await.result(reader.framesAfter("shop-b", "c-2", 0, 50)), "another merchant reads nothing");
    }

    @Test
    void aLaterBatchNeverMovesAConversationBack() throws Exception {
        Await.result(sink.write(List.of(shopper("c-late", 3, "three", 3_000), bot("c-late", 4, "four", 4_000, null, null))));
        Await.result(sink.write(List.of(shopper("c-late", 1, "one", 1_000), bot("c-late", 2, "two", 2_000, null, null))));
        Row c = Await.result(db.pool().query("SELECT last_seq, created_at, updated_at FROM conversations WHERE id = 'c-late'").execute())
                .iterator().next();
        assertEquals(4, c.getLong("last_seq"));
        assertEquals(1_000L, c.getOffsetDateTime("created_at").toInstant().toEpochMilli());
        assertEquals(4_000L, c.getOffsetDateTime("updated_at").toInstant().toEpochMilli());
    }

    @Test
    void aHandoffOpensOnceAndFollowsTheDialogue() throws Exception {
        JsonObject d1 = new JsonObject().put("context", new JsonObject().put("order", "DX1001")).put("step", 1);
        JsonObject d2 = new JsonObject().put("context", new JsonObject().put("order", "DX1001")).put("step", 2);
        List<LoggedMessage> opening = List.of(shopper("h-1", 1, "投诉！", 10_000), bot("h-1", 2, "转人工", 10_001, "complaint", d1));
        Await.result(sink.write(opening));
        Await.result(sink.write(opening));
        Await.result(sink.write(List.of(shopper("h-1", 3, "还在吗", 20_000), bot("h-1", 4, "在的", 20_001, null, d2))));
        // a second handoff reply while the first is open does not queue the conversation twice
        Await.result(sink.write(List.of(shopper("h-1", 5, "人呢", 30_000), bot("h-1", 6, "转人工", 30_001, "requested", d2))));
        // a stale dialogue (an older message written late) never replaces a newer one
        Await.result(sink.write(List.of(bot("h-1", 4, "在的", 20_001, null, d1))));

        assertEquals(1, count("SELECT count(*) FROM handoffs WHERE conversation_id = 'h-1'"));
        List<HandoffDesk.Handoff> pending = Await.result(queue.pending("shop-a"));
        HandoffDesk.Handoff h = pending.stream().filter(x -> x.conversationId().equals("h-1")).findFirst().orElseThrow();
        assertEquals("complaint", h.reason());
        assertEquals(10_001L, h.at());
        assertEquals(2, h.dialogue().getInteger("step"), h.dialogue().encode());
        assertEquals(6, h.transcript().size());
        assertEquals("投诉！", h.transcript().getJsonObject(0).getString("text"), "oldest first");
        assertEquals("bot", h.transcript().getJsonObject(5).getString("role"));

        assertEquals(List.of(), Await.result(queue.pending("shop-b")), "another merchant sees nothing");
        assertFalse(Await.result(queue.close("shop-b", "h-1")), "and cannot close it");
        assertTrue(Await.result(queue.close("shop-a", "h-1")));
        assertFalse(Await.result(queue.close("shop-a", "h-1")));
        assertTrue(Await.result(queue.pending("shop-a")).stream().noneMatch(x -> x.conversationId().equals("h-1")));
        // writing the opening reply again after the close does not reopen it
        Await.result(sink.write(opening));
        assertTrue(Await.result(queue.pending("shop-a")).stream().noneMatch(x -> x.conversationId().equals("h-1")));
        // a new handoff later in the conversation opens a new one
        Await.result(sink.write(List.of(shopper("h-1", 7, "还是不行", 40_000), bot("h-1", 8, "转人工", 40_001, "fallbacks", null))));
        HandoffDesk.Handoff again = Await.result(queue.pending("shop-a")).stream().filter(x -> x.conversationId().equals("h-1"))
                .findFirst().orElseThrow();
        assertEquals("fallbacks", again.reason());
    }

    @Test
    void theTranscriptOfAHandoffIsItsLastFiftyMessages() throws Exception {
        List<LoggedMessage> batch = new ArrayList<>();
        for (int seq = 1; seq <= 79; seq += 2) {
            batch.add(shopper("long", seq, "q" + seq, seq));
            batch.add(bot("long", seq + 1, "a" + seq, seq + 1, seq + 1 == 80 ? "fallbacks" : null, null));
        }
        Await.result(sink.write(batch));
        HandoffDesk.Handoff h = Await.result(queue.pending("shop-a")).stream().filter(x -> x.conversationId().equals("long"))
                .findFirst().orElseThrow();
        assertEquals(PgHandoffQueue.TRANSCRIPT_MESSAGES, h.transcript().size());
        assertEquals("q31", h.transcript().getJsonObject(0).getString("text"));
        assertEquals("a79", h.transcript().getJsonObject(49).getString("text"));
        assertNull(h.dialogue().getValue("active"));
    }

    @Test
    void aWriteWhilePostgresIsDownFailsCleanlyAndARetryAfterwardsWritesOnce() throws Exception {
        List<LoggedMessage> first = List.of(shopper("r-1", 1, "before", 1), bot("r-1", 2, "before", 2, null, null));
        Await.result(sink.write(first));
        List<LoggedMessage> during = List.of(shopper("r-1", 3, "during", 3), bot("r-1", 4, "during", 4, "requested", new JsonObject()),
                shopper("r-2", 1, "other", 5));
        TestServers.pg("stop");
        try {
            long t0 = System.nanoTime();
            Throwable t = Await.failure(sink.write(during));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 15_000, "fails, does not hang: " + t);
        } finally {
            TestServers.pg("start");
        }
        // the drainer retries the same batch (twice here: the first retry may meet a connection closed by the restart)
        writeWithRetries(during);
        writeWithRetries(during);
        assertEquals(5, count("SELECT count(*) FROM messages WHERE conversation_id IN ('r-1','r-2')"));
        assertEquals(1, count("SELECT count(*) FROM handoffs WHERE conversation_id = 'r-1'"));
    }

    @Test
    void batchesWrittenAcrossARestartAreAllThereOnce() throws Exception {
        // a drainer's loop: write, and on failure write the same batch again, while the server restarts
        Thread restarter = new Thread(() -> {
            try {
                Thread.sleep(150);
                TestServers.pg("restart");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        restarter.start();
        int failures = 0;
        for (int b = 0; b < 40; b++) {
            List<LoggedMessage> batch = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                long seq = b * 25L + i + 1;
                batch.add(shopper("restart-" + (i % 5), seq, "m" + seq, seq));
            }
            failures += writeWithRetries(batch);
            Thread.sleep(10);
        }
        restarter.join();
        assertEquals(1000, count("SELECT count(*) FROM messages WHERE conversation_id LIKE 'restart-%'"));
        assertEquals(1000, count("SELECT count(DISTINCT (conversation_id, seq)) FROM messages WHERE conversation_id LIKE 'restart-%'"));
        System.out.println("batches retried across the restart: " + failures);
    }

    /** Writes until it succeeds; returns how many attempts failed. */
    static int writeWithRetries(List<LoggedMessage> batch) throws Exception {
        int failed = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                Await.result(sink.write(batch));
                return failed;
            } catch (Exception e) {
                failed++;
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
