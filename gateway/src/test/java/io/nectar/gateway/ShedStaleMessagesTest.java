package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages that waited past {@code --max-queue-wait-ms} behind their connection's earlier ones are answered
 * {@code overloaded} unread, each once, and counted; sent again, such a message is read and answered like
 * any other (nothing is lost: it was never committed). The connection stays open throughout.
 */
class ShedStaleMessagesTest {

    @Test
    void messagesThatWaitedTooLongAreAnsweredOverloadedAndAnsweredWhenSentAgain(@TempDir Path tmp) throws Exception {
        // 1 ms: any message that has to wait for an encoder run before it is an old one; no cache, so the
        // first message takes a real ONNX run (milliseconds) while the others, sent with it, queue behind it
        GatewayConfig config = GatewayConfig.fromArgs(new String[]{"--port", "0", "--host", "127.0.0.1",
                "--max-queue-wait-ms", "1", "--encoder-cache", "0", "--rate", "1000", "--burst", "1000",
                "--data-dir", tmp.toString()});
        Gateway g = Gateway.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Vertx client = Vertx.vertx();
        ChatTestClient shopper = null;
        try {
            g.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            shopper = ChatTestClient.open(client, g.port(), "merchant=demo");
            List<String> asked = List.of("Do you ship abroad?", "How long does delivery take?", "Can I return shoes?",
                    "Which payment methods do you accept?", "Do you ship internationally?", "Where is my order?");
            for (int i = 0; i < asked.size(); i++) {
                shopper.message("m" + i, asked.get(i));
            }
            Map<String, JsonObject> answers = new HashMap<>();
            for (int i = 0; i < asked.size(); i++) {
                JsonObject a = shopper.next(30_000);
                String id = a.getString("replyTo");
                assertNull(answers.put(id, a), "each message is answered once: " + a.encode());
            }
            assertEquals(asked.size(), answers.size());
            assertEquals("reply", answers.get("m0").getString("type"), "the first message did not wait: " + answers.get("m0").encode());
            long shed = answers.values().stream().filter(a -> "error".equals(a.getString("type"))).count();
            for (JsonObject a : answers.values()) {
                if ("error".equals(a.getString("type"))) {
                    assertEquals("overloaded", a.getString("code"), a.encode());
                } else {
                    assertEquals("reply", a.getString("type"), a.encode());
                }
            }
            assertTrue(shed > 0, "five messages sent with one that takes an encoder run waited over 1 ms: " + answers);
            assertEquals((double) shed, g.services().metrics().registry().get("nectar_messages_shed_total").counter().count());

            // the widget sends a shed message again (same id) once the queue has drained: it is read and answered
            String again = answers.entrySet().stream().filter(e -> "error".equals(e.getValue().getString("type")))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            int index = Integer.parseInt(again.substring(1));
            JsonObject reply = shopper.ask(again, asked.get(index));
            assertEquals("reply", reply.getString("type"), reply.encode());
            assertEquals(again, reply.getString("replyTo"));
            assertTrue(reply.getLong("seq") > 0, "committed this time: " + reply.encode());
            assertTrue(!shopper.isClosed(), "the connection stays open");
        } finally {
            if (shopper != null) {
                shopper.close();
            }
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            g.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
