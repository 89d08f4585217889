package io.nectar.gateway.merchant;

import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreSource;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Consumer;

/**
 * Merchants' knowledge as a node serves it and the merchant API edits it: in PostgreSQL (every node
 * applies every change) or, embedded, in this node's memory (changes live until a restart). Futures
 * complete on the caller's context.
 */
public interface MerchantKnowledge extends AutoCloseable {

    /** The stores this node serves at start-up. {@link StoreSource#load()} is blocking. */
    StoreSource source();

    /**
     * Called once the stores are installed: from now on changes are applied to {@code knowledge} (each
     * new store version also goes through {@code warmUp}, on a worker thread).
     */
    void attach(KnowledgeBase knowledge, Consumer<Store> warmUp);

    /** The merchant whose API key this is, or {@code null}. */
    String authenticate(String apiKey);

    /** The merchant's store.yaml as this node serves it (a copy), or {@code null} for an unknown merchant. */
    JsonObject settings(String merchant);

    /** The merchant's items of a kind, in order, and the knowledge version they are at. */
    Future<Listing> list(String merchant, StoreDocuments.Kind kind);

    /**
     * Applies one edit of one item: in one step, checked against the whole store (a change the store
     * refuses fails with {@link EditRejected}), then served by this node before the future completes.
     */
    Future<Change> change(String merchant, Edit edit);

    @Override
    void close();

    /** A merchant's items of one kind. */
    record Listing(long version, List<JsonObject> items) {
    }

    /**
     * One edit: {@code apply} takes the item as it is ({@code null} when absent) and returns it as it
     * should be ({@code null} deletes it), or throws {@link EditRejected}.
     */
    record Edit(StoreDocuments.Kind kind, String id, java.util.function.UnaryOperator<JsonObject> apply) {
    }

    /**
     * What an edit did.
     *
     * @param item    the item after the edit, or {@code null} when deleted
     * @param created whether the item did not exist before
     * @param version the merchant's knowledge version with this change
     */
    record Change(StoreDocuments.Kind kind, String id, JsonObject item, boolean created, long version) {
    }

    /** An edit refused, with the HTTP status that says why (400, 404, 409) and a message for humans. */
    final class EditRejected extends RuntimeException {
        private final int status;

        public EditRejected(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
