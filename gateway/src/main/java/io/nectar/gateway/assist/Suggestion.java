package io.nectar.gateway.assist;

import io.vertx.core.json.JsonObject;

/**
 * One reply the assist pane offers the agent.
 *
 * @param id         unique within its {@link Assist} ({@code s1}, {@code s2}, ...)
 * @param kind       {@code faq} (an FAQ answer), {@code product} (facts with stock by colour and size),
 *                   {@code promotion}, {@code flow} (the next step of a merchant's flow, or its start, with the
 *                   slots already understood: sending it moves the conversation's flow on), {@code action} (a
 *                   flow whose next step runs the merchant's action, such as the exchange itself: it runs when
 *                   the agent sends it), or {@code reply} (the bot's own short reply)
 * @param ref        the FAQ id, SKU, promotion id or flow id
 * @param label      a short title for the agent ("开始：缺货换款（订单 DX1001）")
 * @param text       the reply as it would be sent; {@code null} for an {@code action}, whose text comes from running it
 * @param confidence 0..1, as the classifier calibrated it (1.0 for a slot answer inside a flow)
 * @param dialogue   the dialogue state after sending it ({@code flow}), else {@code null}; never shown to the agent
 * @param flow       for {@code action}: the flow to run ({@code null}: the conversation's own next step)
 */
public record Suggestion(String id, String kind, String ref, String label, String text, double confidence,
                         JsonObject dialogue, String flow) {

    public static final String FAQ = "faq";
    public static final String PRODUCT = "product";
    public static final String PROMOTION = "promotion";
    public static final String FLOW = "flow";
    public static final String ACTION = "action";
    public static final String REPLY = "reply";

    public Suggestion withId(String newId) {
        return new Suggestion(newId, kind, ref, label, text, confidence, dialogue, flow);
    }

    /** As the agent's workbench shows it. */
    public JsonObject toClient() {
        JsonObject j = new JsonObject().put("id", id).put("kind", kind).put("ref", ref).put("label", label)
                .put("confidence", Math.round(confidence * 1000) / 1000.0);
        if (text != null) {
            j.put("text", text);
        }
        return j;
    }

    public JsonObject toJson() {
        return toClient().put("dialogue", dialogue).put("flow", flow).put("text", text);
    }

    public static Suggestion fromJson(JsonObject j) {
        return new Suggestion(j.getString("id"), j.getString("kind"), j.getString("ref"), j.getString("label"), j.getString("text"),
                j.getDouble("confidence", 0.0), j.getJsonObject("dialogue"), j.getString("flow"));
    }
}
