package io.nectar.gateway.transcript;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where drained log messages end up: PostgreSQL. One call writes a batch in one transaction,
 * idempotently on {@code (conversationId, seq)}: conversations (created, last seen, language, last
 * seq), messages, and handoffs opened by a bot reply with a {@code handoffReason}. The future succeeds
 * only once the batch is committed; the drainer acknowledges the log entries after that.
 */
public interface TranscriptSink {

    Future<Void> write(List<LoggedMessage> batch);
}
