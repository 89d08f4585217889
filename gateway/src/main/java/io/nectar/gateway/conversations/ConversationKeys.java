package io.nectar.gateway.conversations;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Redis key names. Every key of a conversation carries the hash tag of its log shard ({@code {nb17}}),
 * so the conversation's state, window, answered ids and the durable-log stream it appends to share one
 * Redis Cluster hash slot and one script can touch them all.
 */
public final class ConversationKeys {

    public static final String DEFAULT_PREFIX = "nectar:";
    /** The consumer group every node's drainer reads the log streams with. */
    public static final String DRAIN_GROUP = "drain";

    private final String prefix;
    private final int shards;

    public ConversationKeys(int shards) {
        this(DEFAULT_PREFIX, shards);
    }

    /** Keys under another prefix: deployments (or tests) that share one Redis without seeing each other. */
    public ConversationKeys(String prefix, int shards) {
        this.prefix = prefix;
        this.shards = shards;
    }

    public String prefix() {
        return prefix;
    }

    public int shards() {
        return shards;
    }

    public int shard(String conversationId) {
        CRC32 crc = new CRC32();
        crc.update(conversationId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    private static String tag(int shard) {
        return "{nb" + shard + "}";
    }

    public String state(String conversationId) {
        return prefix + tag(shard(conversationId)) + ":c:" + conversationId;
    }

    public String window(String conversationId) {
        return prefix + tag(shard(conversationId)) + ":w:" + conversationId;
    }

    public String answered(String conversationId) {
        return prefix + tag(shard(conversationId)) + ":a:" + conversationId;
    }

    public String log(String conversationId) {
        return log(shard(conversationId));
    }

    public String log(int shard) {
        return prefix + tag(shard) + ":log";
    }

    /** The pub/sub channel of a node: frames for conversations it holds. */
    public String nodeChannel(String nodeId) {
        return prefix + "node:" + nodeId;
    }
}
