package io.nectar.gateway.chat;

import io.nectar.gateway.conversations.Claim;
import io.nectar.gateway.dialogue.DialogueState;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's hold on a conversation: the claim it took and what has happened since on this
 * connection (dialogue state, language, the recent frames and answered ids). Updated only after a
 * commit succeeded, so a refused write leaves it as it was. Confined to the connection's event loop.
 */
public final class ChatSession {

    private final Claim claim;
    private final int windowMessages;
    private final ArrayDeque<JsonObject> window = new ArrayDeque<>();
    private final LinkedHashMap<String, Long> answered = new LinkedHashMap<>();
    private DialogueState dialogue;
    private String language;
    private long seq;
    private String owner;

    public ChatSession(Claim claim, int windowMessages) {
        this.claim = claim;
        this.windowMessages = Math.max(4, windowMessages);
        this.dialogue = claim.dialogue();
        this.language = claim.language();
        this.seq = claim.seq();
        this.owner = claim.owner();
        claim.window().forEach(this::remember);
        answered.putAll(claim.answered());
    }

    public Claim claim() {
        return claim;
    }

    public String conversationId() {
        return claim.conversationId();
    }

    public String merchantId() {
        return claim.merchantId();
    }

    /** The shopper a verified shopper token named, or {@code null} (anonymous). */
    public String shopperId() {
        return claim.shopperId();
    }

    public long epoch() {
        return claim.epoch();
    }

    public boolean resumed() {
        return claim.resumed();
    }

    public DialogueState dialogue() {
        return dialogue;
    }

    public String language() {
        return language;
    }

    /** The highest sequence number this connection knows of. */
    public long seq() {
        return seq;
    }

    /** The frames this connection knows of, oldest first (the claimed window and everything since). */
    public List<JsonObject> window() {
        return List.copyOf(window);
    }

    /** The reply frame to a client message id answered before, if this connection still knows it; else null. */
    public JsonObject replyTo(String messageId) {
        Long s = answered.get(messageId);
        if (s == null) {
            return null;
        }
        for (JsonObject f : window) {
            if (f.getLong("seq", -1L) == s.longValue()) {
                return f;
            }
        }
        return new JsonObject().put("type", "reply").put("replyTo", messageId).put("seq", s).put("expired", true);
    }

    public boolean answered(String messageId) {
        return answered.containsKey(messageId);
    }

    /**
     * Who answers, as far as this connection knows ({@code bot}, {@code agent}, {@code closed}): from the
     * claim and the system frames delivered since. The commit checks the truth; this only spares the bot
     * running a dialogue (and the merchant's actions) for a message it will not answer.
     */
    public String ownerKind() {
        return io.nectar.gateway.conversations.Owner.kind(owner);
    }

    public boolean agentOwned() {
        return io.nectar.gateway.conversations.Owner.isAgent(owner);
    }

    /** The owner as a commit found it (an agent took over while the reply was being written, say). */
    public void owner(String owner) {
        this.owner = io.nectar.gateway.conversations.Owner.of(owner);
    }

    /** After a message committed alone for the agent who owns the conversation: its id answers with that frame. */
    public void committedHeld(String messageId, JsonObject shopperFrame) {
        remember(shopperFrame);
        if (messageId != null) {
            answered.put(messageId, shopperFrame.getLong("seq"));
        }
    }

    /** After a committed turn. */
    public void committed(String messageId, JsonObject shopperFrame, JsonObject replyFrame, DialogueState state, String lang) {
        remember(shopperFrame);
        remember(replyFrame);
        if (messageId != null) {
            answered.put(messageId, replyFrame.getLong("seq"));
            Iterator<Map.Entry<String, Long>> it = answered.entrySet().iterator();
            while (answered.size() > Math.max(16, windowMessages) && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
        this.dialogue = state;
        this.language = lang;
    }

    /**
     * A frame that came from elsewhere (an agent's message, an ownership change); false when this
     * connection has it already. A system frame of an ownership change updates who answers; a dialogue
     * state the frame carries ({@link io.nectar.gateway.conversations.ConversationStore#DIALOGUE_FIELD}, a
     * flow an agent started) becomes the session's. The frame must have that field removed before sending.
     */
    public boolean delivered(JsonObject frame, JsonObject dialogueState) {
        long s = frame.getLong("seq", 0L);
        for (JsonObject f : window) {
            if (f.getLong("seq", -1L) == s) {
                return false;
            }
        }
        remember(frame);
        if (dialogueState != null) {
            this.dialogue = DialogueState.fromJson(dialogueState);
        }
        if ("system".equals(frame.getString("type"))) {
            String kind = frame.getString("owner");
            if ("agent".equals(kind)) {
                this.owner = io.nectar.gateway.conversations.Owner.agent("");
            } else if (kind != null) {
                this.owner = kind;
                if (dialogueState == null && dialogue.handoff != null) {
                    dialogue = dialogue.copy();
                    dialogue.handoff = null; // handed back or closed: the bot may hand off again later
                }
            }
        }
        return true;
    }

    private void remember(JsonObject frame) {
        window.addLast(frame);
        while (window.size() > windowMessages) {
            window.removeFirst();
        }
        seq = Math.max(seq, frame.getLong("seq", 0L));
    }
}
