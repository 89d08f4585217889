package io.nectar.gateway;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayConfigTest {

    @Test
    void parsesOptionsInBothForms() {
        GatewayConfig c = GatewayConfig.fromArgs(new String[]{"--port", "9000", "--store=/a", "--store", "/b", "--rate", "2.5"});
        assertEquals(9000, c.port());
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), c.stores());
        assertEquals(2.5, c.messagesPerSecond());
        assertEquals(GatewayConfig.DEFAULT_MAX_QUEUE_WAIT_MILLIS, c.maxQueueWaitMillis());
        assertEquals(2500, GatewayConfig.fromArgs(new String[]{"--max-queue-wait-ms", "2500"}).maxQueueWaitMillis());
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromArgs(new String[]{"--port", "x"}));
        assertTrue(e.getMessage().contains("--port needs a number"));
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromArgs(new String[]{"--port", "70000"}));
        assertTrue(e.getMessage().contains("port must be in"));
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromArgs(new String[]{"--colour", "red"}));
        assertTrue(e.getMessage().contains("unknown option --colour"));
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromArgs(new String[]{"--max-queue-wait-ms", "0"}));
        assertTrue(e.getMessage().contains("max-queue-wait-ms must be >= 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromArgs(new String[]{"--port"}));
        assertThrows(GatewayConfig.HelpRequested.class, () -> GatewayConfig.fromArgs(new String[]{"--help"}));
    }

    @Test
    void usageListsEveryOption() {
        for (String opt : List.of("--port", "--store", "--host", "--rate", "--burst", "--help", "--zh-threshold", "--max-queue-wait-ms")) {
            assertTrue(GatewayConfig.USAGE.contains(opt), opt);
        }
    }
}
