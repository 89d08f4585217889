package io.nectar.gateway;

import io.nectar.gateway.action.ActionRunner;
import io.nectar.gateway.dialogue.DialogueEngine;
import io.nectar.gateway.handoff.HandoffDesk;
import io.nectar.gateway.handoff.HandoffQueue;
import io.nectar.gateway.health.Dependencies;
import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.merchant.MerchantKnowledge;
import io.nectar.gateway.metrics.GatewayMetrics;
import io.nectar.gateway.conversations.ConversationStore;
import io.nectar.gateway.transcript.TranscriptReader;
import io.nectar.gateway.ws.ConnectionRegistry;
import io.nectar.gateway.pg.PgServices;

/**
 * What every event loop of a node shares: configuration, metrics, the conversation store and, once loaded,
 * the knowledge base. Fields are written once at start-up; {@link #knowledge()} is {@code null} until
 * the node is ready.
 */
public final class GatewayServices {

    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final ConversationStore conversations;
    private final HandoffDesk handoffs;
    private final DialogueEngine dialogue = new DialogueEngine();
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final io.nectar.gateway.chat.MessagePipeline pipeline = new io.nectar.gateway.chat.MessagePipeline(this);
    private volatile TranscriptReader transcripts;
    private volatile boolean draining;
    private volatile ActionRunner actions;
    private volatile KnowledgeBase knowledge;
    private volatile String loadFailure;
    private volatile String defaultMerchant;
    private volatile PgServices pg;
    private volatile MerchantKnowledge merchantKnowledge;
    private volatile io.nectar.gateway.chat.ConversationEvents conversationEvents = io.nectar.gateway.chat.ConversationEvents.NONE;
    private volatile io.nectar.gateway.workbench.Workbench workbench;
    private final Dependencies dependencies = new Dependencies();
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private final io.nectar.gateway.offers.Offers offers;
    private final io.nectar.gateway.ratings.Ratings ratings;
    private final io.nectar.gateway.reminders.Reminders reminders;
    private volatile io.nectar.gateway.auth.ConsoleSessions consoleSessions;
    private volatile io.nectar.gateway.console.Embedder embedder;
    private volatile io.nectar.gateway.console.StoreChecks storeChecks;

    GatewayServices(GatewayConfig config, GatewayMetrics metrics, ConversationStore conversations, HandoffDesk handoffs) {
        this.config = config;
        this.metrics = metrics;
        this.conversations = conversations;
        this.handoffs = handoffs;
        conversations.deliveries(connections::deliver);
        this.offers = new io.nectar.gateway.offers.Offers(this);
        this.ratings = new io.nectar.gateway.ratings.Ratings(this);
        this.reminders = new io.nectar.gateway.reminders.Reminders(this);
    }

    /** The node's clock for the merchant's side (reminders, offers' days, message times); a test moves it. */
    public java.time.Clock clock() {
        return clock;
    }

    void clock(java.time.Clock c) {
        this.clock = c;
    }

    /** Offers made with replies, their caps and what became of them. */
    public io.nectar.gateway.offers.Offers offers() {
        return offers;
    }

    /** Shoppers' ratings of conversations. */
    public io.nectar.gateway.ratings.Ratings ratings() {
        return ratings;
    }

    /** Unpaid-order reminders. */
    public io.nectar.gateway.reminders.Reminders reminders() {
        return reminders;
    }

    /** Console sign-in sessions (PostgreSQL), or {@code null} without {@code --pg}. */
    public io.nectar.gateway.auth.ConsoleSessions consoleSessions() {
        return consoleSessions;
    }

    /** Sentence vectors for the console's grouping of missed questions; null while loading. */
    public io.nectar.gateway.console.Embedder embedder() {
        return embedder;
    }

    void embedder(io.nectar.gateway.console.Embedder e) {
        this.embedder = e;
    }

    /** The console's store checks (one at a time per node), or {@code null} before the encoders are loaded. */
    public io.nectar.gateway.console.StoreChecks storeChecks() {
        return storeChecks;
    }

    void storeChecks(io.nectar.gateway.console.StoreChecks c) {
        this.storeChecks = c;
    }

    void consoleSessions(io.nectar.gateway.auth.ConsoleSessions s) {
        this.consoleSessions = s;
    }

    public GatewayConfig config() {
        return config;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Where conversations live: this node's memory, or Redis. */
    public ConversationStore conversations() {
        return conversations;
    }

    /** The path of one shopper message (stateless; shared by every connection). */
    public io.nectar.gateway.chat.MessagePipeline pipeline() {
        return pipeline;
    }

    /** The chat connections open on this node. */
    public ConnectionRegistry connections() {
        return connections;
    }

    /** Reads older messages back from PostgreSQL, or {@code null} when there is none. */
    public TranscriptReader transcripts() {
        return transcripts;
    }

    void transcripts(TranscriptReader reader) {
        this.transcripts = reader;
    }

    /** True once the node started moving its shoppers away (SIGTERM): it takes no new ones. */
    public boolean draining() {
        return draining;
    }

    void draining(boolean d) {
        this.draining = d;
    }

    public DialogueEngine dialogue() {
        return dialogue;
    }

    /** Conversations waiting for a human agent, per merchant. */
    public HandoffDesk handoffs() {
        return handoffs;
    }

    /**
     * The handoff queue agents read: shared in PostgreSQL when conversations are shared (Redis and
     * PostgreSQL), else this node's {@link #handoffs()}.
     */
    public HandoffQueue handoffQueue() {
        PgServices p = pg;
        return p != null && config.cluster().shared() ? p.handoffs() : handoffs;
    }

    /** PostgreSQL's parts (sink, reader, handoff queue, knowledge sync), or {@code null} without {@code --pg}. */
    public PgServices pg() {
        return pg;
    }

    void pg(PgServices p) {
        this.pg = p;
    }

    /** Merchants' knowledge as the merchant API edits it (PostgreSQL, or this node's memory); null while loading. */
    public MerchantKnowledge merchantKnowledge() {
        return merchantKnowledge;
    }

    void merchantKnowledge(MerchantKnowledge k) {
        this.merchantKnowledge = k;
    }

    /** Who hears of committed shopper messages (the agents' workbench); never null. */
    public io.nectar.gateway.chat.ConversationEvents conversationEvents() {
        return conversationEvents;
    }

    public void conversationEvents(io.nectar.gateway.chat.ConversationEvents events) {
        this.conversationEvents = events;
    }

    /** The agents' workbench, or {@code null} while the node loads. */
    public io.nectar.gateway.workbench.Workbench workbench() {
        return workbench;
    }

    public void workbench(io.nectar.gateway.workbench.Workbench w) {
        this.workbench = w;
        this.conversationEvents = w;
    }

    /** The external services this node depends on, as {@code /health/ready} reports them. */
    public Dependencies dependencies() {
        return dependencies;
    }

    /** Runs flow actions against merchants' systems. */
    public ActionRunner actions() {
        return actions;
    }

    void actions(ActionRunner runner) {
        this.actions = runner;
    }

    /** The loaded knowledge base, or {@code null} while the node is still loading. */
    public KnowledgeBase knowledge() {
        return knowledge;
    }

    void ready(KnowledgeBase knowledge, String defaultMerchant) {
        this.defaultMerchant = defaultMerchant;
        this.knowledge = knowledge;
    }

    /** The merchant the bundled chat page opens when the URL names none: the first store loaded. */
    public String defaultMerchant() {
        return defaultMerchant;
    }

    public boolean isReady() {
        return knowledge != null;
    }

    /** Why loading failed, or {@code null}. */
    public String loadFailure() {
        return loadFailure;
    }

    void failed(String why) {
        this.loadFailure = why;
    }
}
