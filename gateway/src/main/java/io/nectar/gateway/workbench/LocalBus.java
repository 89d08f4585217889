package io.nectar.gateway.workbench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.function.Supplier;

/** The embedded node's bus: events go straight to its own agents. */
public final class LocalBus implements WorkbenchBus {

    private volatile Receiver receiver;
    private volatile Supplier<Set<String>> watched = Set::of;

    @Override
    public Future<Void> start(Receiver r, Supplier<Set<String>> w) {
        this.receiver = r;
        this.watched = w;
        return Future.succeededFuture();
    }

    @Override
    public void publish(String merchant, String toLogin, JsonObject event) {
        Receiver r = receiver;
        if (r != null) {
            r.receive(merchant, toLogin, event);
        }
    }

    @Override
    public boolean watched(String merchant) {
        return watched.get().contains(merchant);
    }

    @Override
    public Future<Void> close() {
        receiver = null;
        return Future.succeededFuture();
    }
}
