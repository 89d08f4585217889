package io.nectar.gateway;

import io.nectar.gateway.action.ActionRunner;
import io.nectar.gateway.dialogue.DialogueEngine;
import io.nectar.gateway.handoff.HandoffDesk;
import io.nectar.gateway.handoff.HandoffQueue;
import io.nectar.gateway.health.Dependencies;
import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.merchant.MerchantKnowledge;
import io.nectar.gateway.metrics.GatewayMetrics;
import io.nectar.gateway.pg.PgServices;
import io.nectar.gateway.session.SessionStore;

/**
 * What every event loop of a node shares: configuration, metrics, the session store and, once loaded,
 * the knowledge base. Fields are written once at start-up; {@link #knowledge()} is {@code null} until
 * the node is ready.
 */
public final class GatewayServices {

    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final SessionStore sessions;
    private final DialogueEngine dialogue = new DialogueEngine();
    private final HandoffDesk handoffs = new HandoffDesk();
    private volatile ActionRunner actions;
    private volatile KnowledgeBase knowledge;
    private volatile String loadFailure;
    private volatile String defaultMerchant;
    private volatile PgServices pg;
    private volatile MerchantKnowledge merchantKnowledge;
    private final Dependencies dependencies = new Dependencies();

    GatewayServices(GatewayConfig config, GatewayMetrics metrics, SessionStore sessions) {
        this.config = config;
        this.metrics = metrics;
        this.sessions = sessions;
    }

    public GatewayConfig config() {
        return config;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public SessionStore sessions() {
        return sessions;
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
