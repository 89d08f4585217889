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

    public void add(String name, boolean critical, Supplier<Future<JsonObject>> probe) {
        checks.removeIf(c -> c.name().equals(name));
        checks.add(new Check(name, critical, probe));
    }

    public List<Check> checks() {
        return List.copyOf(checks);
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
