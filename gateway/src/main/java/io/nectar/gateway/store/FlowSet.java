package io.nectar.gateway.store;

import java.util.List;
import java.util.Map;

/**
 * A store's dialogue: its flows, how each action reaches the merchant's systems, and dialogue settings,
 * as read from {@code flows.yaml}. Immutable.
 */
public record FlowSet(List<Flow> flows, Map<String, ActionConfig> actions, Settings settings) {

    public static final FlowSet NONE = new FlowSet(List.of(), Map.of(), Settings.DEFAULT);

    public FlowSet {
        flows = List.copyOf(flows);
        actions = Map.copyOf(actions);
    }

    /**
     * @param handoffAfterFallbacks consecutive fallback replies after which a human takes over
     * @param maxAttempts           times one question is asked before a human takes over
     * @param orderNumberFlow       flow started by a message that names an order number outside any flow
     *                              when no other flow takes it ("DX1002发货了吗"), or {@code null}
     */
    public record Settings(int handoffAfterFallbacks, int maxAttempts, String orderNumberFlow) {
        public static final Settings DEFAULT = new Settings(2, 3, null);
    }

    /**
     * Where an action goes.
     *
     * @param type      {@code demo} (the built-in demo backend) or {@code webhook}
     * @param url       webhook URL (http or https)
     * @param timeoutMs time allowed for one attempt
     * @param retries   further attempts after a timeout, a connection failure or a 5xx/408/429 answer
     * @param secret    sent as {@code Authorization: Bearer <secret>} when set
     */
    public record ActionConfig(String name, String type, String url, int timeoutMs, int retries, String secret) {
        public static final String DEMO = "demo";
        public static final String WEBHOOK = "webhook";
    }

    public Flow flow(String id) {
        for (Flow f : flows) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        return null;
    }

    /** The flow that replaces the answer of this FAQ entry, or {@code null}. */
    public Flow claiming(String faqId) {
        for (Flow f : flows) {
            if (f.faqTriggers().contains(faqId)) {
                return f;
            }
        }
        return null;
    }

    /** The flow offered after the answer of this FAQ entry, or {@code null}. */
    public Flow offeredAfter(String faqId) {
        for (Flow f : flows) {
            if (f.offerAfter().contains(faqId)) {
                return f;
            }
        }
        return null;
    }
}
