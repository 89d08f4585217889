package io.nectar.gateway.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The real Redis and PostgreSQL servers that {@code ops/test} starts for a test run, from its
 * environment. A test that needs one and finds it missing fails with a message saying how to run it;
 * it never skips.
 */
public final class TestServers {

    private TestServers() {
    }

    /** {@code redis://127.0.0.1:PORT}: one Redis server. */
    public static String redisUrl() {
        return required("NECTAR_TEST_REDIS_URL");
    }

    /** {@code host:port,host:port,host:port}: the seed nodes of a three-master Redis Cluster. */
    public static String redisCluster() {
        return required("NECTAR_TEST_REDIS_CLUSTER");
    }

    /** {@code postgresql://postgres@127.0.0.1:PORT/nectar}. */
    public static String pgUrl() {
        return required("NECTAR_TEST_PG_URL");
    }

    /** Stops, starts or restarts the test PostgreSQL server ({@code action} = stop, start or restart); blocking. */
    public static void pg(String action) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(required("NECTAR_TEST_PG_CTL").split(" ")));
        cmd.add(action);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("pg " + action + " failed: " + out);
        }
    }

    private static String required(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: this test needs real servers. Run it through ops/test, "
                    + "which starts Redis and PostgreSQL (e.g. ops/test -pl gateway -am -Dtest=ThisTest "
                    + "-Dsurefire.failIfNoSpecifiedTests=false)");
        }
        return v;
    }
}
