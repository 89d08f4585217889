package io.nectar.gateway.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** flows.yaml and backend.yaml: the demo's flows load, and every mistake is named with its file and flow. */
class FlowsReaderTest {

    @Test
    void theDemoStoreShipsTheSixFlowsOfTheIssueAndItsBackend() {
        Store demo = ClasspathStoreSource.DEMO.load().get(0);
        FlowSet flows = demo.flows();
        for (String id : List.of("order-status", "exchange-out-of-stock", "change-address", "request-invoice",
                "return-refund", "talk-to-human")) {
            assertNotNull(flows.flow(id), id);
        }
        assertEquals("order-status", flows.claiming("track-order").id());
        assertEquals("talk-to-human", flows.claiming("human-agent").id());
        assertEquals("request-invoice", flows.offeredAfter("invoice").id());
        Flow exchange = flows.flow("exchange-out-of-stock");
        assertEquals(List.of("order", "accept", "color", "size"), exchange.slots().stream().map(Flow.Slot::name).toList());
        assertEquals("out_of_stock_exchange", exchange.promotion().trigger());
        assertEquals("demo", flows.actions().get("exchange_item").type());
        assertTrue(demo.backend().get("orders") instanceof List<?> l && l.size() >= 4);
        assertEquals("demo-agent-token-change-me", demo.agentToken());
    }

    static Path store(Path tmp, String flows) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("s"));
        Files.writeString(dir.resolve("faq.yaml"), """
                - id: track-order
                  questions: {en: ["where is my parcel"]}
                  answer: {en: "Send me the order number."}
                """);
        Files.writeString(dir.resolve("flows.yaml"), flows);
        return dir;
    }

    static final String GOOD_FLOW = """
            actions:
              get_order: {type: webhook, url: "https://shop.example/hooks", timeoutMs: 2500, retries: 1, secret: s}
            settings: {handoffAfterFallbacks: 3, maxAttempts: 2}
            flows:
              - id: order-status
                name: {en: order status}
                triggers: {faq: [track-order], en: ["check my order"]}
                slots:
                  - {name: order, type: order_id, prompt: {en: "Order number?"}, lookup: {action: get_order, as: info}}
                  - {name: note, type: text, required: false}
                reply: {en: "Order {{info.id}}: {{info.status}}{{#note}} ({{note}}){{/note}}"}
            """;

    @Test
    void aMerchantFlowWithAWebhookLoads(@TempDir Path tmp) throws IOException {
        Store s = new DirectoryStoreSource(store(tmp, GOOD_FLOW)).load().get(0);
        Flow f = s.flows().flow("order-status");
        assertEquals(List.of("track-order"), f.faqTriggers());
        assertEquals(List.of("check my order"), f.phrasings().get("en"));
        assertEquals("info", f.slot("order").lookup().as());
        FlowSet.ActionConfig hook = s.flows().actions().get("get_order");
        assertEquals("https://shop.example/hooks", hook.url());
        assertEquals(2500, hook.timeoutMs());
        assertEquals(1, hook.retries());
        assertEquals(new FlowSet.Settings(3, 2, null), s.flows().settings());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "unknown slot type|`type: order_id`|`type: shoe_size`|type 'shoe_size' is not one of",
            "missing prompt|`prompt: {en: \"Order number?\"}, `|``|'prompt' is required",
            "unconfigured action|`action: get_order, as: info`|`action: fetch_order, as: info`|action 'fetch_order' is not configured",
            "unknown faq|`faq: [track-order]`|`faq: [tracking]`|FAQ entry 'tracking'",
            "bad template|`{{info.id}}: `|`{{#info}}: `|bad template",
            "bad webhook url|`https://shop.example/hooks`|`ftp://shop.example`|'url' must be an http(s) URL",
            "bad regex|`required: false}`|`required: false, pattern: \"([\"}`|not a valid regular expression",
    })
    void mistakesAreNamed(String name, String from, String to, String message, @TempDir Path tmp) throws IOException {
        String broken = GOOD_FLOW.replace(from, to);
        assertTrue(!broken.equals(GOOD_FLOW), "the test changes the file: " + name);
        StoreException e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(store(tmp, broken)).load());
        assertTrue(e.getMessage().contains("flows.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aNextFlowMustExist(@TempDir Path tmp) throws IOException {
        String broken = GOOD_FLOW + "    next: [{when: info.late, flow: apologise}]\n";
        StoreException e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(store(tmp, broken)).load());
        assertTrue(e.getMessage().contains("no flow 'apologise'"), e.getMessage());
    }

    @Test
    void aShortAgentTokenIsRefused(@TempDir Path tmp) throws IOException {
        Path dir = store(tmp, GOOD_FLOW);
        Files.writeString(dir.resolve("store.yaml"), "agentToken: short\n");
        StoreException e = assertThrows(StoreException.class, () -> new DirectoryStoreSource(dir).load());
        assertTrue(e.getMessage().contains("agentToken"), e.getMessage());
    }
}
