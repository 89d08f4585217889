package io.nectar.loadgen.engine;

import io.nectar.loadgen.dsl.Feeder;
import io.nectar.loadgen.dsl.FeederBuilder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.net.URI;
import java.util.List;

/** What every virtual user of one run shares: Vert.x, clients, targets, feeders and the stats. */
interface RunContext {

    Vertx vertx();

    Stats stats();

    long seed();

    /** The feeder built for this builder before the run. */
    Feeder feeder(FeederBuilder builder);

    /** The target gateway of a user (round robin by user id). */
    Target target(long userId);

    /**
     * A socket for a user's next connection, on the run's transport, from the next local source address
     * (round robin); {@code context} is the user's.
     */
    UserSocket newSocket(Context context);

    void userFinished(VirtualUser user);

    /** A parsed gateway URL. */
    record Target(String host, int port, boolean ssl, String path, String query) {

        static Target parse(String url) {
            URI u = URI.create(url);
            boolean ssl = "wss".equalsIgnoreCase(u.getScheme());
            int port = u.getPort() > 0 ? u.getPort() : ssl ? 443 : 80;
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return new Target(u.getHost(), port, ssl, path, u.getRawQuery() == null ? "" : u.getRawQuery());
        }

        /** The request URI with the URL's own query and {@code extra} joined. */
        String uri(String extra) {
            String q = query.isEmpty() ? extra : extra.isEmpty() ? query : query + "&" + extra;
            return q.isEmpty() ? path : path + "?" + q;
        }

        boolean isLoopback() {
            return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        }
    }

    static List<Target> parse(List<String> urls) {
        return urls.stream().map(Target::parse).toList();
    }
}
