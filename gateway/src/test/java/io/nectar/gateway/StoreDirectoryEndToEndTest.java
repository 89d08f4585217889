package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code ops/run --store DIR}: a merchant's own directory is served instead of the demo. */
class StoreDirectoryEndToEndTest {

    @Test
    void servesAStoreDirectoryUnderItsName(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("tea-house"));
        Files.writeString(dir.resolve("faq.jsonl"), String.join("\n",
                "{\"id\":\"opening\",\"question\":\"When are you open?\",\"paraphrases\":[\"opening hours\",\"what time do you open\"],\"answer\":\"Every day from 8 to 20.\",\"lang\":\"en\"}",
                "{\"id\":\"delivery\",\"question\":\"Do you deliver?\",\"paraphrases\":[\"can you bring it to my home\",\"home delivery\"],\"answer\":\"Yes, within the city.\",\"lang\":\"en\"}"));
        Gateway g = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(dir)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Vertx client = Vertx.vertx();
        try {
            g.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            try (ChatTestClient c = ChatTestClient.open(client, g.port(), "merchant=tea-house")) {
                assertEquals("tea-house", c.welcome.getString("merchant"));
                JsonObject r = c.ask("1", "what are your opening hours?");
                assertEquals("opening", r.getString("intent"), r.encode());
                assertEquals("Every day from 8 to 20.", r.getString("text"));
            }
            try (ChatTestClient c = ChatTestClient.connect(client, g.port(), "merchant=demo")) {
                assertEquals("unknown_merchant", c.next().getString("code"), "the demo is not served beside a store");
            }
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            g.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
