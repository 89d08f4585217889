package io.nectar.gateway.conversations;

import io.nectar.gateway.dialogue.DialogueState;
import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static io.nectar.gateway.conversations.RedisConversationStoreTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One owner per conversation (bot, agent, closed), in the in-memory store and in Redis (standalone and
 * cluster: the commit and owner scripts): while an agent owns a conversation a commit stores the shopper's
 * message alone (the bot never answers), only that agent may write into it, take is exclusive, hand back
 * and close end the handoff, a closed conversation is the bot's again when the shopper writes, and another
 * merchant can do nothing with it.
 */
class OwnershipTest {

    static final String A = Owner.agent("ann");
    static final String B = Owner.agent("bob");

    @org.junit.jupiter.api.BeforeAll
    static void start() {
        RedisConversationStoreTest.start();
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() throws Exception {
        RedisConversationStoreTest.stop();
    }

    interface Subject extends AutoCloseable {
        ConversationStore store();
    }

    static Subject subject(String kind) throws Exception {
        if ("memory".equals(kind)) {
            InMemoryConversationStore s = new InMemoryConversationStore(100, Duration.ofMinutes(5), 6, batch -> Future.succeededFuture());
            return new Subject() {
                public ConversationStore store() {
                    return s;
                }

                public void close() {
                }
            };
        }
        RedisConversationStoreTest.Node n = new RedisConversationStoreTest.Node(kind, RedisConversationStoreTest.prefix(), "node-a");
        return new Subject() {
            public ConversationStore store() {
                return n.store;
            }

            public void close() throws Exception {
                n.close();
            }
        };
    }

    static OwnerRequest request(OwnerRequest.Action action, String agent, String conversationId) {
        JsonObject frame = new JsonObject().put("type", "system").put("event", action.code()).put("owner", "x").put("text", action.code());
        return new OwnerRequest(action, agent, Map.of("en", new LoggedMessage(conversationId, "shop", 0, "system", Owner.login(agent),
                action.code(), action.code(), agent, "en", 1L, null, null, frame)));
    }

    static TurnWrite handedOff(Claim c, String id) {
        TurnWrite t = RedisConversationStoreTest.turn(c, id, "a person please", "handing you over");
        DialogueState d = new DialogueState();
        d.handoff = new JsonObject().put("reason", "requested").put("at", 1L);
        return new TurnWrite(t.messageId(), t.shopperFrame(), t.shopper(), t.replyFrame(), t.reply(), d.toJson(), t.language());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "standalone", "cluster"})
    void whileAnAgentOwnsItTheBotNeverAnswersAndOnlyThatAgentWrites(String kind) throws Exception {
        try (Subject s = subject(kind)) {
            ConversationStore store = s.store();
            List<JsonObject> delivered = new CopyOnWriteArrayList<>();
            store.deliveries((id, epoch, frame) -> delivered.add(frame));
            Claim c = await(store.claim(null, "shop"));
            String id = c.conversationId();
            assertEquals(2, await(store.commit(c, handedOff(c, "m1"))).replySeq());

            OwnerChange took = await(store.changeOwner("shop", id, request(OwnerRequest.Action.TAKE, A, id)));
            assertTrue(took.changed());
            assertEquals(Owner.BOT, took.previous());
            assertEquals(A, took.owner());
            assertEquals(3, took.frame().getLong("seq"));
            assertEquals(OwnerChange.Status.TAKEN, await(store.changeOwner("shop", id, request(OwnerRequest.Action.TAKE, B, id))).status());
            assertEquals(OwnerChange.Status.SAME, await(store.changeOwner("shop", id, request(OwnerRequest.Action.TAKE, A, id))).status());
            assertEquals(OwnerChange.Status.NONE, await(store.changeOwner("other", id, request(OwnerRequest.Action.TAKE, B, id))).status());
            assertNull(await(store.peek("other", id)));

            // the connection did not know yet: it wrote a bot reply, and only the shopper's message was kept
            ConversationStore.Committed held = await(store.commit(c, RedisConversationStoreTest.turn(c, "m2", "where is it", "bot answer")));
            assertTrue(held.held());
            assertEquals(A, held.heldBy());
            assertEquals(4, held.shopperSeq());
            assertEquals(0, held.replySeq());
            assertEquals(4L, await(store.commit(c, RedisConversationStoreTest.turn(c, "m2", "where is it", "bot answer"))).duplicateOf());
            Peek p = await(store.peek("shop", id));
            assertEquals(A, p.owner());
            assertFalse(p.window().stream().anyMatch(f -> "bot answer".equals(f.getString("text"))), p.window().toString());

            JsonObject agentFrame = new JsonObject().put("type", "agent").put("text", "on its way").put("at", 2L);
            LoggedMessage agentMessage = new LoggedMessage(id, "shop", 0, "agent", null, "on its way", null, A, "en", 2L, null, null, agentFrame);
            ExecutionException refused = assertThrows(ExecutionException.class, () -> await(store.append("shop", id, agentMessage, B, null)));
            assertInstanceOf(ConversationStore.NotOwnerException.class, refused.getCause());
            assertEquals(A, ((ConversationStore.NotOwnerException) refused.getCause()).owner());
            assertEquals(5, await(store.append("shop", id, agentMessage, A, null)).getLong("seq"));
            assertEquals(A, await(store.claim(id, "shop")).owner()); // a resume knows who answers

            Claim again = await(store.claim(id, "shop"));
            assertEquals(OwnerChange.Status.NOT_OWNER, await(store.changeOwner("shop", id, request(OwnerRequest.Action.HAND_BACK, B, id))).status());
            OwnerChange back = await(store.changeOwner("shop", id, request(OwnerRequest.Action.HAND_BACK, A, id)));
            assertEquals(Owner.BOT, back.owner());
            assertNull(await(store.peek("shop", id)).dialogue().handoff, "handed back: the bot may hand off again");
            // a message the connection meant for the agent is refused once nobody holds it: the bot answers it
            assertTrue(await(store.commit(again, TurnWrite.shopperOnly("m3", new JsonObject().put("type", "message").put("text", "x"),
                    RedisConversationStoreTest.turn(again, "m3", "x", "y").shopper()))).unheld());
            assertEquals(8, await(store.commit(again, RedisConversationStoreTest.turn(again, "m3", "x", "y"))).replySeq());

            // closed: the next shopper message is the bot's again
            assertTrue(await(store.changeOwner("shop", id, request(OwnerRequest.Action.TAKE, B, id))).changed());
            assertEquals(Owner.CLOSED, await(store.changeOwner("shop", id, request(OwnerRequest.Action.CLOSE, B, id))).owner());
            assertEquals(Owner.CLOSED, await(store.peek("shop", id)).owner());
            ConversationStore.Committed reopened = await(store.commit(again, RedisConversationStoreTest.turn(again, "m4", "hi", "hello")));
            assertFalse(reopened.held());
            assertTrue(reopened.replySeq() > 0);
            assertEquals(Owner.BOT, await(store.peek("shop", id)).owner());
            // take, hand back, take, close: delivered to the conversation's node over the store's channel, which
            // may come a moment after the write that published it (Redis pub/sub)
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (systemFrames(delivered) < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(4, systemFrames(delivered), delivered.toString());
        }
    }

    private static long systemFrames(List<JsonObject> delivered) {
        return delivered.stream().filter(f -> "system".equals(f.getString("type"))).count();
    }
}
