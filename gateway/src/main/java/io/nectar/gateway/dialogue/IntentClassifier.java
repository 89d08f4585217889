package io.nectar.gateway.dialogue;

import java.util.concurrent.CompletableFuture;

/**
 * Turns a shopper's message into an {@link Understanding}. Today the knowledge base does it by nearest
 * prototype vectors over FAQ questions, flow trigger phrasings, product titles and promotion names; a
 * trained intent head can take its place behind this interface. Implementations never block the
 * caller: the future completes on their own threads and fails with an overload error when saturated.
 */
public interface IntentClassifier {

    CompletableFuture<Understanding> understand(String merchantId, String text);
}
