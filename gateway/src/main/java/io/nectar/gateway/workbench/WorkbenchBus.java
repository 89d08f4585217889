package io.nectar.gateway.workbench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.function.Supplier;

/**
 * How workbench events reach agents on every node: in one node's memory ({@link LocalBus}, embedded) or
 * Redis pub/sub ({@link RedisBus}: one channel for all merchants; each node hands an event only to its own
 * agents of that merchant). An event names its merchant and, for the assist pane, the one agent it is for.
 * Events of merchants no node watches (no workbench open) are not sent at all.
 */
public interface WorkbenchBus {

    /** Receives events published on any node. Called on any thread; returns at once. */
    interface Receiver {
        void receive(String merchant, String toLogin, JsonObject event);

        /** Events may have been lost (the subscription dropped): every workbench should reload its view. */
        void resync();
    }

    /** Starts delivering to {@code receiver}; {@code watched} lists the merchants this node's agents watch. */
    Future<Void> start(Receiver receiver, Supplier<Set<String>> watched);

    /** Sends an event to the merchant's agents ({@code toLogin}: to that agent only), on every node. */
    void publish(String merchant, String toLogin, JsonObject event);

    /** A workbench of the merchant just opened on this node: other nodes start publishing its events now. */
    default void watching(String merchant) {
    }

    /** Whether an agent of the merchant has a workbench open on some node. */
    boolean watched(String merchant);

    Future<Void> close();
}
