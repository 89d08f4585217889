package io.nectar.nlu.exec;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** When queues get a relief thread: only where thread priorities reach the OS, unless told. */
class ReliefTest {

    @Test
    void theDefaultFollowsWhetherPrioritiesReachTheOs() {
        // the test JVM runs without -XX:ThreadPriorityPolicy=1 (surefire's argLine), so priorities are ignored
        boolean policy = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:ThreadPriorityPolicy=1");
        assertEquals(policy, Relief.prioritiesReachOs());
        String forced = System.getProperty("nectar.relief");
        if (forced == null) {
            assertEquals(policy, Relief.DEFAULT.on());
        }
        assertFalse(Relief.OFF.on());
        assertEquals(250_000_000L, Relief.after(250).afterNanos());
        assertThrows(IllegalArgumentException.class, () -> new Relief(true, 0));
    }
}
