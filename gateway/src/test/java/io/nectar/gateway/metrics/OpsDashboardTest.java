package io.nectar.gateway.metrics;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.cluster.ClusterConfig;
import io.nectar.gateway.support.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operators' dashboard ({@code ops/dashboards/nectar-node.json}) and alerting rules
 * ({@code ops/prometheus/nectar-alerts.yml}) use only what a node exports: every metric their queries name
 * is on the {@code /metrics} of a real node on Redis and PostgreSQL that has answered a question and handed
 * a shopper to a person. A meter renamed in the code fails here.
 */
class OpsDashboardTest {

    static final Path DASHBOARD = Path.of("..", "ops", "dashboards", "nectar-node.json");
    static final Path ALERTS = Path.of("..", "ops", "prometheus", "nectar-alerts.yml");
    static final Pattern ALERT_EXPR = Pattern.compile("(?m)^\\s+expr:\\s*(.+)$");
    static final Pattern METRIC = Pattern.compile("\\b((?:nectar|process|jvm|system)_[a-z_]+)");

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsExportedByANode() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        Set<String> queried = new TreeSet<>();
        int queries = 0;
        for (Object p : dashboard.getJsonArray("panels")) {
            JsonArray targets = ((JsonObject) p).getJsonArray("targets");
            for (Object t : targets == null ? new JsonArray() : targets) {
                Matcher m = METRIC.matcher(((JsonObject) t).getString("expr"));
                queries++;
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        assertTrue(queries >= 20 && queried.size() >= 30, "the dashboard's queries: " + queried);
        int alerts = 0;
        Matcher rules = ALERT_EXPR.matcher(Files.readString(ALERTS));
        while (rules.find()) {
            alerts++;
            Matcher m = METRIC.matcher(rules.group(1));
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertTrue(alerts >= 8, "the alerting rules' expressions: " + alerts);

        Vertx vertx = Vertx.vertx();
        ClusterConfig cluster = ClusterConfig.embedded().withNodeId("dash")
                .withShared(ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()), TestServers.pgUrl())
                .withKeyPrefix("dash" + UUID.randomUUID().toString().substring(0, 6) + ":");
        Gateway g = Gateway.start(GatewayConfig.defaults().withPort(0).withHost("127.0.0.1").withCluster(cluster))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            g.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            try (ChatTestClient c = ChatTestClient.open(vertx, g.port(), "merchant=demo")) {
                assertEquals("reply", c.ask("q1", "包邮吗").getString("type"));
                c.ask("h1", "转人工");
            }
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Set<String> exported = new TreeSet<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(exported);
            assertTrue(missing.isEmpty(), "queried by the dashboard or an alert but not exported: " + missing);
        } finally {
            g.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
