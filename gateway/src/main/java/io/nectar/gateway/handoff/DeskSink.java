package io.nectar.gateway.handoff;

import io.nectar.gateway.transcript.LoggedMessage;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.util.List;
import java.util.function.Function;

/**
 * The embedded node's transcript sink: committed messages keep its {@link HandoffDesk} current. A bot
 * reply with a handoff reason opens a waiting conversation; later messages of a waiting conversation
 * refresh its transcript and dialogue state. Transcripts come from the node's conversation store.
 */
public final class DeskSink implements TranscriptSink {

    private final HandoffDesk desk;
    private final Function<String, JsonArray> transcripts;

    public DeskSink(HandoffDesk desk, Function<String, JsonArray> transcripts) {
        this.desk = desk;
        this.transcripts = transcripts;
    }

    @Override
    public Future<Void> write(List<LoggedMessage> batch) {
        for (LoggedMessage m : batch) {
            if ("system".equals(m.role()) && m.intent() != null) {
                // an ownership change: a taken handoff shows who has it; handed back or closed, it is over
                if (io.nectar.gateway.conversations.Owner.isAgent(m.source())) {
                    desk.taken(m.merchantId(), m.conversationId(), m.messageId(), transcripts.apply(m.conversationId()));
                } else {
                    desk.take(m.merchantId(), m.conversationId());
                }
            } else if (m.handoffReason() != null) {
                desk.open(m.merchantId(), m.conversationId(), m.handoffReason(), m.language(),
                        transcripts.apply(m.conversationId()), m.dialogue() == null ? new io.vertx.core.json.JsonObject() : m.dialogue());
            } else if (m.dialogue() != null) {
                String id = m.conversationId();
                desk.update(m.merchantId(), id, () -> transcripts.apply(id), m.dialogue());
            }
        }
        return Future.succeededFuture();
    }
}
