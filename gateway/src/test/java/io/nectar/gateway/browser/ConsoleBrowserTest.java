package io.nectar.gateway.browser;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.cluster.ClusterConfig;
import io.nectar.gateway.pg.Database;
import io.nectar.gateway.pg.PgClusterTest;
import io.nectar.gateway.support.Await;
import io.nectar.gateway.support.Http;
import io.nectar.gateway.support.TestDatabases;
import io.nectar.gateway.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merchant console in a real headless Chromium against two nodes sharing PostgreSQL and Redis: sign
 * in, see the numbers and their charts, edit an FAQ answer on node 0 and have a chat on node 1 answer
 * with it, add a group of missed questions as paraphrases with one click and have the same question
 * answered, run the store check, all with shopper and merchant text shown as text, never markup.
 */
class ConsoleBrowserTest {

    static final List<Gateway> nodes = new ArrayList<>();
    static Vertx client;
    static Http http;
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        String url = TestDatabases.fresh("console");
        Path root = Files.createTempDirectory("console");
        String prefix = "con" + System.nanoTime() + ":";
        List<Future<Gateway>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path data = root.resolve("node-" + i);
            PgClusterTest.seed(data);
            ClusterConfig cluster = ClusterConfig.embedded().withNodeId("node-" + i).withKeyPrefix(prefix)
                    .withShared(ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()), url);
            starting.add(Gateway.start(GatewayConfig.defaults().withPort(0).withDataDir(data).withCluster(cluster).withRate(1000, 1000)));
        }
        for (Future<Gateway> f : starting) {
            nodes.add(Await.result(f));
        }
        for (Gateway g : nodes) {
            Await.result(g.ready(), 300);
        }
        client = Vertx.vertx();
        http = new Http(client);
        db = Database.create(client, url);
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        for (Gateway g : nodes) {
            Await.result(g.stop());
        }
        if (client != null) {
            Await.result(client.close());
        }
    }

    /** Asks node 1, each time in a new conversation, until {@code ok} holds (the change reaches every node within a second). */
    static JsonObject askUntil(String question, Predicate<JsonObject> ok) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            JsonObject r;
            try (ChatTestClient c = ChatTestClient.open(client, nodes.get(1).port(), "merchant=demo&lang=en")) {
                r = c.ask("p", question);
            }
            if (ok.test(r)) {
                return r;
            }
            assertTrue(System.currentTimeMillis() < deadline, "node 1 still answers '" + question + "' with " + r.encode());
            Thread.sleep(100);
        }
    }

    static long count(String sql) throws Exception {
        return Await.result(db.pool().query(sql).execute()).iterator().next().getLong(0);
    }

    @Test
    void signInEditAnswerLearnFromMissesAndSeeTheNumbers() throws Exception {
        // shoppers on node 1: questions the bot cannot answer (each its own conversation), and a complaint with markup in it
        // most of these are well below the demo store's answer threshold (0.1 to 0.4 under it here: a machine's ONNX
        // kernels move a score by a few hundredths, so none is chosen on the line), two are answered
        List<String> candidates = List.of("Is the packaging recyclable?", "is the packaging compostable?", "is the packaging plastic free?",
                "is the packaging eco friendly?", "Can I pay in bitcoin?", "are your shoe boxes recyclable",
                "who won the football match yesterday?", "what is the capital of France?");
        List<String> missed = new ArrayList<>();
        for (String q : candidates) {
            try (ChatTestClient c = ChatTestClient.open(client, nodes.get(1).port(), "merchant=demo&lang=en")) {
                JsonObject r = c.ask("m", q);
                if ("fallback".equals(r.getString("source")) || "handoff".equals(r.getString("source"))) {
                    missed.add(q);
                }
            }
        }
        assertTrue(missed.size() >= 2, "questions the demo store cannot answer: " + missed);
        try (ChatTestClient c = ChatTestClient.open(client, nodes.get(1).port(), "merchant=demo&lang=en")) {
            c.ask("a", "how long does shipping take?");
            c.sendText(new JsonObject().put("type", "rate").put("rating", "bad")
                    .put("comment", "<img src=x onerror=\"window.__xss=1\"> slow").encode());
            c.await(f -> "rated".equals(f.getString("type")));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        long conversations = candidates.size() + 1;
        while (count("SELECT count(*) FROM conversations WHERE merchant_id = 'demo' AND first_shopper_at IS NOT NULL") < conversations) {
            assertTrue(System.currentTimeMillis() < deadline, "transcripts drained");
            Thread.sleep(100);
        }

        try (Chromium browser = Chromium.launch(client)) {
            CdpPage page = browser.page();
            String base = "http://127.0.0.1:" + nodes.get(0).port();
            browser.navigate(base + "/console");
            page.waitFor("document.body && document.body.dataset.console === 'ready'", 10_000);

            // a wrong password is refused
            signIn(page, "wrong-password");
            page.waitFor("document.getElementById('si-error').textContent.includes('wrong')", 10_000);
            assertTrue((Boolean) page.eval("document.getElementById('app').hidden"));

            signIn(page, "demo-admin-password-change-me");
            page.waitFor("!document.getElementById('app').hidden", 10_000);
            // the numbers and the charts
            page.waitFor("document.querySelector('td[data-metric=conversations]')", 15_000);
            assertEquals(String.valueOf(conversations), page.eval("document.querySelector('td[data-metric=conversations]').textContent"));
            page.waitFor("document.querySelectorAll('#charts .uplot canvas').length >= 3", 10_000);
            Number drawn = (Number) page.eval("(() => { const c = document.querySelector('#charts .uplot canvas');"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                    + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()");
            assertTrue(drawn.longValue() > 100, "the chart drew something: " + drawn);
            // the complaint's markup is text
            page.waitFor("document.querySelector('#complaints q')", 10_000);
            assertTrue(((String) page.eval("document.querySelector('#complaints q').textContent")).contains("<img src=x"));
            assertNull(page.eval("window.__xss === undefined ? null : window.__xss"), "no script ran");
            assertEquals(0L, ((Number) page.eval("document.querySelectorAll('#complaints img').length")).longValue());

            // edit an FAQ answer on node 0; a chat on node 1 answers with it
            page.eval("(document.querySelector('[data-tab=faq]').click(), true)");
            page.waitFor("document.querySelector('#faq-list li[data-id=leather-care]')", 10_000);
            page.eval("(document.querySelector('#faq-list li[data-id=leather-care]').click(), true)");
            page.eval("(() => { const s = document.getElementById('faq-lang'); s.value = 'en'; s.dispatchEvent(new Event('change'));"
                    + " return true; })()");
            String answer = "Brush them, polish every two weeks, and never dry them in the sun. <b>Edited</b> in the console.";
            page.evalWith("a", answer, "(document.getElementById('faq-answer').value = a, "
                    + "document.getElementById('faq-edit').requestSubmit(), true)");
            page.waitFor("document.getElementById('status').textContent.startsWith('Saved leather-care')", 10_000);
            JsonObject edited = askUntil("How do I care for leather shoes?", r -> answer.equals(r.getString("text")));
            assertEquals("leather-care", edited.getString("ref"));

            // what the bot could not answer: add the biggest group as paraphrases with one click
            page.eval("(document.querySelector('[data-tab=missed]').click(), true)");
            page.waitFor("document.querySelector('#missed > li')", 30_000);
            boolean suggested = (Boolean) page.eval("!!document.querySelector('#missed > li .add-paraphrase')");
            String question = (String) page.eval("document.querySelector('#missed > li .examples').textContent.split(' · ')[0]"
                    + ".replace(/ ×\\d+$/, '')");
            assertTrue(missed.contains(question), question);
            String target;
            if (suggested) {
                Http.Response groups = http.call(HttpMethod.GET, nodes.get(0).port(), "/api/merchant/missed",
                        "demo-merchant-key-change-me", null);
                target = groups.json().getJsonArray("groups").getJsonObject(0).getJsonObject("suggestion").getString("faq");
                page.eval("(document.querySelector('#missed > li .add-paraphrase').click(), true)");
                page.waitFor("document.getElementById('status').textContent.startsWith('Added')", 10_000);
            } else {
                target = "gift-cards";
                page.eval("(document.querySelector('#missed > li .new-entry').click(), true)");
                page.evalWith("a", "Yes: gift cards from 100 CNY, in the app under Me > Gift cards.",
                        "(() => { const f = document.querySelector('#missed > li form'); f.querySelector('input').value = 'gift-cards';"
                                + " f.querySelector('textarea').value = a; f.requestSubmit(); return true; })()");
                page.waitFor("document.getElementById('status').textContent.startsWith('Created')", 10_000);
            }
            System.out.printf("missed group '%s' added to %s%n", question, target);
            // an FAQ entry that starts a flow (stock-check) answers with the flow: its intent is the entry's id
            JsonObject learned = askUntil(question, r -> target.equals(r.getString("ref")) || target.equals(r.getString("intent")));
            assertNotEquals("fallback", learned.getString("source"));

            // the store check: what the bot mixes up in the live store, per language, with suggestions
            page.eval("(document.querySelector('[data-tab=check]').click(), true)");
            page.eval("(document.getElementById('check-run').click(), true)");
            page.waitFor("document.querySelectorAll('#check-report .check-language').length >= 2", 120_000);
            assertEquals("en,zh", page.eval("[...document.querySelectorAll('#check-report .check-language')].map(s => s.dataset.lang).sort().join(',')"));
            assertTrue(((Number) page.eval("document.querySelectorAll('#check-report .confusion').length")).intValue() > 0,
                    "the demo store's held-out phrasings are misread somewhere");
            assertTrue(((String) page.eval("document.getElementById('status').textContent")).startsWith("Checked at"));

            // the test chat is the live store
            page.eval("(document.querySelector('[data-tab=chat]').click(), true)");
            assertTrue(((String) page.eval("document.getElementById('chat').src")).contains("merchant=demo"));
            assertEquals(List.of(), page.errors());
        }
    }

    static void signIn(CdpPage page, String password) throws Exception {
        page.evalWith("p", password, "(() => { document.getElementById('si-merchant').value = 'demo';"
                + " document.getElementById('si-user').value = 'admin'; document.getElementById('si-password').value = p;"
                + " document.getElementById('signin-form').requestSubmit(); return true; })()");
    }

    @Test
    void aConsoleSessionOpensOnlyItsOwnMerchant() throws Exception {
        Http.Response login = http.call(HttpMethod.POST, nodes.get(0).port(), "/api/console/login", null,
                Json.encode(new JsonObject().put("merchant", "demo").put("username", "admin").put("password", "demo-admin-password-change-me")));
        assertEquals(200, login.status(), login.toString());
        String token = login.json().getString("token");
        assertTrue(token.startsWith("cs_"));
        // valid on the other node too
        assertEquals(200, http.get(nodes.get(1).port(), "/api/merchant/metrics", token).status());
        assertEquals(403, http.get(nodes.get(1).port(), "/api/merchant/metrics?merchant=other", token).status());
        assertEquals(401, http.call(HttpMethod.POST, nodes.get(0).port(), "/api/console/login", null,
                Json.encode(new JsonObject().put("merchant", "other").put("username", "admin").put("password", "demo-admin-password-change-me")))
                .status(), "an account opens its own merchant only");
        assertEquals(200, http.call(HttpMethod.POST, nodes.get(0).port(), "/api/console/logout", token, null).status());
        long deadline = System.currentTimeMillis() + 15_000;
        while (http.get(nodes.get(0).port(), "/api/merchant/metrics", token).status() != 403) {
            assertTrue(System.currentTimeMillis() < deadline, "a signed-out session is refused");
            Thread.sleep(200);
        }
    }
}
