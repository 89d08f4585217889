package io.nectar.gateway.transcript;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Reads drained messages back: what a resuming client missed that Redis no longer holds. */
public interface TranscriptReader {

    /**
     * The frames of {@code conversationId} with a seq above {@code afterSeq}, oldest first, at most
     * {@code limit} of them (the newest {@code limit} when there are more), each with its {@code seq}.
     */
    Future<List<JsonObject>> framesAfter(String merchantId, String conversationId, long afterSeq, int limit);
}
