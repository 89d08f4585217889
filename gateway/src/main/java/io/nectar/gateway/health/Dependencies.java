package io.nectar.gateway.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The external services a node depends on (PostgreSQL, Redis), each with a probe that answers within
 * its own timeout with {@code {"status":"UP"|"DOWN", ...}}. {@code /health/ready} reports every one; a
 * <em>critical</em> one that is down makes the node unready (the load balancer sends shoppers elsewhere),
 * any other one only marks it degraded. Thread-safe.
 */
public final class Dependencies {

    /** One dependency's probe. */
    public record Check(String name, boolean critical, Supplier<Future<JsonObject>> probe) {
    }

    /** What the probes said: per dependency, and whether a critical one (or any one) is down. */
    public record Report(JsonObject dependencies, boolean criticalDown, boolean anyDown) {
    }

    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private volatile Report last;
    private volatile boolean probing;

    public void add(String name, boolean critical, Supplier<Future<JsonObject>> probe) {
        checks.removeIf(c -> c.name().equals(name));
        checks.add(new Check(name, critical, probe));
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    /**
     * Probes every dependency every {@code periodMillis} in the background and keeps the last report, so
     * readiness answers at once: a load balancer's health check has a short timeout of its own (HAProxy's
     * defaults to its check interval), and a probe still waiting on a dependency that went away must not
     * make every node look dead.
     */
    public void probeEvery(io.vertx.core.Vertx vertx, long periodMillis) {
        vertx.setPeriodic(0, periodMillis, id -> {
            if (probing) {
                return;
            }
            probing = true;
            check().onComplete(ar -> {
                probing = false;
                if (ar.succeeded()) {
                    last = ar.result();
                }
            });
        });
    }

    /** The last background report, or {@code null} before the first one (or without {@link #probeEvery}). */
    public Report last() {
        return last;
    }

    /** Runs every probe; a probe that fails counts as down. Completes when all have answered. */
    public Future<Report> check() {
        List<Check> all = List.copyOf(checks);
        List<Future<JsonObject>> answers = new ArrayList<>(all.size());
        for (Check c : all) {
            Future<JsonObject> f;
            try {
                f = c.probe().get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            answers.add(f.otherwise(t -> new JsonObject().put("status", "DOWN").put("error", String.valueOf(t.getMessage()))));
        }
        return Future.join(answers).transform(ignored -> {
            JsonObject out = new JsonObject();
            boolean critical = false;
            boolean any = false;
            for (int i = 0; i < all.size(); i++) {
                JsonObject a = answers.get(i).result();
                if (a == null) {
                    a = new JsonObject().put("status", "DOWN");
                }
                a.put("critical", all.get(i).critical());
                boolean down = !"UP".equals(a.getString("status"));
                any |= down;
                critical |= down && all.get(i).critical();
                out.put(all.get(i).name(), a);
            }
            return Future.succeededFuture(new Report(out, critical, any));
        });
    }
}
