package io.nectar.gateway.pg;

import io.nectar.gateway.merchant.ApiKeys;
import io.nectar.gateway.support.Stores;
import io.nectar.gateway.merchant.StoreFiles;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.support.Await;
import io.nectar.gateway.support.TestDatabases;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ops/store} against a real PostgreSQL: a store directory in and the same store back out. */
class StoreToolTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        Await.result(vertx.close());
    }

    static String run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, StoreTool.run(args, new PrintStream(out, true, "UTF-8"), null), out.toString());
        return out.toString("UTF-8");
    }

    static Path demoDirectory(Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("demo"));
        io.nectar.gateway.support.Stores.copyDemo(dir);
        return dir;
    }

    @Test
    void theDemoStoreRoundTripsThroughPostgres(@TempDir Path tmp) throws Exception {
        String url = TestDatabases.fresh("import");
        Path dir = demoDirectory(tmp);
        String out = run("import", dir.toString(), "--pg", url);
        assertTrue(out.contains("merchant demo imported (knowledge version 1): 49 FAQ entries, 29 products, 4 promotions, 7 flows"), out);
        assertTrue(!out.contains("API key of demo"), "the demo store brings its key's hash: " + out);

        Database db = Database.create(vertx, url);
        try {
            KnowledgeSync sync = new KnowledgeSync(db);
            List<io.nectar.gateway.store.Store> stores = sync.loadAll(30);
            assertEquals(1, stores.size());
            Stores.assertSameStore(SmallTalk.addTo(StoreFiles.directory(dir).toStore()), stores.get(0));
            assertEquals("demo", sync.merchantOfKey(ApiKeys.hash("demo-merchant-key-change-me")));
            assertEquals(1L, count(db, "SELECT count(*) FROM merchants WHERE settings ? 'apiKeySha256'") + 1,
                    "the key's hash lives in its own column, not in the settings");

            // the same directory again: a new version, but no item changes
            assertTrue(run("import", dir.toString(), "--pg", url).contains("replaced (knowledge version 2)"));
            assertEquals(0, count(db, "SELECT count(*) FROM faq_entries WHERE version > 1"));
            // an entry removed from the files becomes a tombstone; one edited gets the new version
            String faq = Files.readString(dir.resolve("faq.yaml"));
            int at = faq.indexOf("- id: store-location");
            Files.writeString(dir.resolve("faq.yaml"), faq.substring(0, at).replace("我们使用顺丰速运和中通快递，默认按收货地址自动选择。", "只发顺丰。"));
            run("import", dir.toString(), "--pg", url);
            assertEquals(1, count(db, "SELECT count(*) FROM faq_entries WHERE deleted AND id = 'store-location' AND version = 3"));
            assertEquals(1, count(db, "SELECT count(*) FROM faq_entries WHERE NOT deleted AND version = 3"));
            assertEquals(48, count(db, "SELECT count(*) FROM faq_entries WHERE NOT deleted"));
        } finally {
            db.close();
        }
    }

    @Test
    void aNewMerchantWithoutAKeyGetsOnePrintedOnceAndTheIdCanBeChosen(@TempDir Path tmp) throws Exception {
        String url = TestDatabases.fresh("import");
        Path dir = Files.createDirectory(tmp.resolve("tea"));
        Files.writeString(dir.resolve("faq.jsonl"),
                "{\"id\":\"hours\",\"question\":\"When are you open?\",\"answer\":\"9 to 5.\",\"lang\":\"en\"}");
        String out = run("import", dir.toString(), "--pg", url, "--merchant", "tea-house");
        assertTrue(out.contains("merchant tea-house imported"), out);
        String key = out.substring(out.indexOf("): nk_") + 3).strip();
        Database db = Database.create(vertx, url);
        try {
            KnowledgeSync sync = new KnowledgeSync(db);
            sync.loadAll(30);
            assertEquals("tea-house", sync.merchantOfKey(ApiKeys.hash(key)));
            // a key given on the command line replaces it
            run("import", dir.toString(), "--pg", url, "--merchant", "tea-house", "--api-key", "tea-house-key-0123456789");
            KnowledgeSync again = new KnowledgeSync(db);
            again.loadAll(30);
            assertEquals("tea-house", again.merchantOfKey(ApiKeys.hash("tea-house-key-0123456789")));
            assertEquals(null, again.merchantOfKey(ApiKeys.hash(key)));
        } finally {
            db.close();
        }
        assertEquals(ApiKeys.hash("abc"), run("key-hash", "abc").strip());
    }

    @Test
    void badInputIsRefusedWithAMessage(@TempDir Path tmp) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> StoreTool.run(new String[]{"import", tmp.toString()}, System.out, null));
        assertThrows(IllegalArgumentException.class, () -> StoreTool.run(new String[]{"export", "x", "--pg", "postgresql://a@b/c"}, System.out, null));
        Exception e = assertThrows(Exception.class, () -> StoreTool.run(new String[]{"import", tmp.resolve("nope").toString(),
                "--pg", "postgresql://a@127.0.0.1:1/c"}, System.out, null));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    static long count(Database db, String sql) throws Exception {
        return Await.result(db.pool().query(sql).execute()).iterator().next().getLong(0);
    }
}
