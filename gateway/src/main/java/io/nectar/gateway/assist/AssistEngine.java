package io.nectar.gateway.assist;

import io.nectar.gateway.action.ActionCall;
import io.nectar.gateway.action.ActionResult;
import io.nectar.gateway.dialogue.DialogueEngine;
import io.nectar.gateway.dialogue.DialogueState;
import io.nectar.gateway.dialogue.Intent;
import io.nectar.gateway.dialogue.Turn;
import io.nectar.gateway.dialogue.Understanding;
import io.nectar.gateway.knowledge.ReplyComposer;
import io.nectar.gateway.store.FaqEntry;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Promotion;
import io.nectar.gateway.store.Store;
import io.nectar.nlu.entity.Entity;
import io.nectar.nlu.entity.EntityType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Suggests what a human agent could reply to a shopper's message, from the merchant's knowledge: the reply
 * the bot would have given (the dialogue engine run on the conversation's state, the merchant's lookups
 * included but never its final actions), then the message's other readings as replies: FAQ answers, product
 * facts with stock by colour and size, promotions, and flows started with the slots already understood
 * ("start the exchange for DX1001"); a flow whose next step is the merchant's action (the exchange itself)
 * is offered as an {@code action} that runs only when the agent sends it. Also the entities, the orders the
 * conversation names (the merchant's {@code get_order}) and the product under discussion.
 * <p>
 * No Vert.x types and no network of its own: the merchant's actions go through {@link Actions}, and work
 * continues on {@code executor} (a bounded pool, never an event loop). Reused by {@code ops/assist-eval}.
 */
public final class AssistEngine {

    /** Suggestions shown per message. */
    public static final int TOP = 3;
    /** Readings of the message turned into suggestions (before the best {@link #TOP} are kept). */
    static final int READINGS = 8;
    /** Flows previewed per message (each may call the merchant's lookups). */
    static final int FLOW_PREVIEWS = 2;

    /** The merchant's systems, as flows call them. */
    @FunctionalInterface
    public interface Actions {
        CompletableFuture<ActionResult> run(Store store, ActionCall call);
    }

    /** A suggestion of kind {@code action} run: the reply it produced and the dialogue state after it. */
    public record Executed(String text, JsonObject dialogue, String lang) {
    }

    private final DialogueEngine engine = new DialogueEngine();
    private final Actions actions;
    private final Executor executor;

    public AssistEngine(Actions actions, Executor executor) {
        this.actions = actions;
        this.executor = executor;
    }

    /** The assist pane for {@code u}, the shopper's message with seq {@code messageSeq}, given where the dialogue stands. */
    public CompletableFuture<Assist> assist(Store store, String conversationId, long messageSeq, DialogueState state, Understanding u) {
        Turn wouldBe = engine.begin(store, state, u, conversationId);
        return drive(store, wouldBe, false).thenComposeAsync(turn -> {
            List<Suggestion> candidates = new ArrayList<>();
            Suggestion own = fromTurn(store, state, turn, null);
            if (own != null) {
                candidates.add(own);
            }
            List<CompletableFuture<Suggestion>> previews = new ArrayList<>();
            int flows = 0;
            for (Intent i : u.intents().subList(0, Math.min(READINGS, u.intents().size()))) {
                if (Intent.FLOW.equals(i.kind())) {
                    Flow f = store.flows().flow(i.id());
                    if (f == null || "handoff".equals(f.action()) || flows >= FLOW_PREVIEWS || i.id().equals(flowOf(own))) {
                        continue;
                    }
                    flows++;
                    previews.add(startFlow(store, conversationId, state, u, i));
                } else {
                    Suggestion s = fromReading(store, u, i);
                    if (s != null) {
                        candidates.add(s);
                    }
                }
            }
            return CompletableFuture.allOf(previews.toArray(new CompletableFuture[0])).thenComposeAsync(v -> {
                previews.forEach(p -> {
                    Suggestion s = p.join();
                    if (s != null) {
                        candidates.add(s);
                    }
                });
                Product product = productUnderDiscussion(store, state, u);
                if (product != null) {
                    for (Promotion pr : ProductFacts.promotions(store, product, LocalDate.now())) {
                        candidates.add(new Suggestion(null, Suggestion.PROMOTION, pr.id(), pr.name().get(u.lang(), store.defaultLanguage()),
                                ReplyComposer.promotion(store, pr, u.lang()), 0.05, null, null));
                    }
                }
                List<Suggestion> top = rank(own, candidates);
                return orders(store, conversationId, state, u).thenApply(orders -> new Assist(UUID.randomUUID().toString(),
                        conversationId, messageSeq, u.text(), u.lang(), intentOf(turn, u), confidenceOf(turn, u), top,
                        entities(u), orders, product == null ? null : ProductFacts.card(store, product, u.lang(), LocalDate.now()),
                        state.toJson(), System.currentTimeMillis()));
            }, executor);
        }, executor);
    }

    /**
     * Runs a suggestion of kind {@code action}: the flow ({@code flow}, or the conversation's own next step
     * when {@code null}) on the state the assist was made from, every action included.
     */
    public CompletableFuture<Executed> execute(Store store, String conversationId, DialogueState state, Understanding u, String flow) {
        Understanding forced = flow == null ? u
                : new Understanding(u.text(), u.lang(), List.of(new Intent(Intent.FLOW, flow, 1.0)), u.answer(), u.extraction());
        Turn t = engine.begin(store, state, forced, conversationId);
        return drive(store, t, true).thenApply(turn -> new Executed(turn.text(), turn.state().toJson(), turn.lang()));
    }

    /** Runs the turn's pending actions: lookups always, the merchant's final action only when {@code finalActions}. */
    private CompletableFuture<Turn> drive(Store store, Turn t, boolean finalActions) {
        if (t.pending() == null) {
            return CompletableFuture.completedFuture(t);
        }
        if (t.actionsRunCount() >= DialogueEngine.MAX_ACTIONS_PER_MESSAGE) {
            engine.abandon(t);
            return CompletableFuture.completedFuture(t);
        }
        if (!finalActions && "final".equals(t.pending().purpose())) {
            return CompletableFuture.completedFuture(t);
        }
        return actions.run(store, t.pending()).thenComposeAsync(r -> {
            engine.resume(t, r);
            return drive(store, t, finalActions);
        }, executor);
    }

    private CompletableFuture<Suggestion> startFlow(Store store, String conversationId, DialogueState state, Understanding u, Intent i) {
        Understanding forced = new Understanding(u.text(), u.lang(), List.of(new Intent(Intent.FLOW, i.id(), 1.0)), u.answer(), u.extraction());
        Turn t = engine.begin(store, state, forced, conversationId);
        return drive(store, t, false).thenApply(turn -> {
            Suggestion s = fromTurn(store, state, turn, i.id());
            return s == null ? null : new Suggestion(null, s.kind(), s.ref(), s.label(), s.text(), i.confidence(), s.dialogue(), s.flow());
        }).exceptionally(e -> null);
    }

    /** The suggestion a (would-be) bot turn makes, or {@code null} for a fallback, a handoff or an empty reply. */
    private static Suggestion fromTurn(Store store, DialogueState before, Turn t, String forcedFlow) {
        String lang = t.lang();
        if (t.handoffReason() != null || "fallback".equals(t.source()) || "handoff".equals(t.source())) {
            return null;
        }
        if (t.pending() != null && "final".equals(t.pending().purpose())) {
            Flow f = store.flows().flow(t.pending().flow());
            String name = f == null ? t.pending().flow() : f.name().get(lang, store.defaultLanguage());
            String label = ("zh".equals(lang) ? "执行：" : "Run: ") + name + slotsSummary(store, t.state(), lang);
            return new Suggestion(null, Suggestion.ACTION, t.pending().flow(), label, null, Math.max(0.5, t.confidence()), null,
                    forcedFlow);
        }
        String text = t.text();
        if (text.isBlank()) {
            return null;
        }
        return switch (t.source()) {
            case "faq" -> {
                FaqEntry e = t.ref() == null ? null : store.faq(t.ref());
                yield new Suggestion(null, Suggestion.FAQ, t.ref(), e == null ? t.intent() : e.canonicalQuestion(lang), text,
                        t.confidence(), null, null);
            }
            case "product" -> {
                Product p = t.ref() == null ? null : store.product(t.ref());
                yield new Suggestion(null, Suggestion.PRODUCT, t.ref(), p == null ? t.ref() : p.title().get(lang, store.defaultLanguage()),
                        p == null ? text : ProductFacts.text(store, p, lang, named(t.understanding(), EntityType.COLOR),
                                named(t.understanding(), EntityType.SIZE)), t.confidence(), null, null);
            }
            case "promotion" -> {
                Promotion p = t.ref() == null ? null : store.promotion(t.ref());
                yield new Suggestion(null, Suggestion.PROMOTION, t.ref(), p == null ? t.ref() : p.name().get(lang, store.defaultLanguage()),
                        text, t.confidence(), null, null);
            }
            case "flow" -> {
                JsonObject flow = t.flow();
                String id = flow == null ? t.intent() : flow.getString("id");
                Flow f = store.flows().flow(id);
                boolean continuing = before.active != null && before.active.flow.equals(id);
                String name = f == null ? id : f.name().get(lang, store.defaultLanguage());
                String label = (continuing ? ("zh".equals(lang) ? "继续：" : "Continue: ") : ("zh".equals(lang) ? "开始：" : "Start: "))
                        + name + slotsSummary(store, t.state(), lang);
                yield new Suggestion(null, Suggestion.FLOW, id, label, text, t.confidence(), t.state().toJson(), null);
            }
            default -> new Suggestion(null, Suggestion.REPLY, t.intent(), t.intent(), text, t.confidence(), null, null);
        };
    }

    /** A reading of the message (FAQ entry, product, promotion) as a reply. */
    private static Suggestion fromReading(Store store, Understanding u, Intent i) {
        String lang = u.lang();
        switch (i.kind()) {
            case Intent.FAQ -> {
                FaqEntry e = store.faq(i.id());
                if (e == null) {
                    return null;
                }
                return new Suggestion(null, Suggestion.FAQ, e.id(), e.canonicalQuestion(lang), ReplyComposer.faqAnswer(store, e.answer(), lang),
                        i.confidence(), null, null);
            }
            case Intent.PRODUCT -> {
                Product p = store.product(i.id());
                return p == null ? null : new Suggestion(null, Suggestion.PRODUCT, p.sku(), p.title().get(lang, store.defaultLanguage()),
                        ProductFacts.text(store, p, lang, named(u, EntityType.COLOR), named(u, EntityType.SIZE)), i.confidence(), null, null);
            }
            case Intent.PROMOTION -> {
                Promotion p = store.promotion(i.id());
                return p == null ? null : new Suggestion(null, Suggestion.PROMOTION, p.id(), p.name().get(lang, store.defaultLanguage()),
                        ReplyComposer.promotion(store, p, lang), i.confidence(), null, null);
            }
            default -> {
                return null;
            }
        }
    }

    /** The bot's own turn first, then the rest by confidence; one per reply text and per (kind, ref); {@link #TOP} kept. */
    static List<Suggestion> rank(Suggestion own, List<Suggestion> candidates) {
        List<Suggestion> sorted = new ArrayList<>(candidates);
        sorted.sort((a, b) -> a == own ? -1 : b == own ? 1 : Double.compare(b.confidence(), a.confidence()));
        List<Suggestion> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Suggestion s : sorted) {
            String key = s.kind() + ":" + s.ref();
            String textKey = s.text() == null ? key : s.text();
            if (seen.contains(key) || seen.contains(textKey)) {
                continue;
            }
            seen.add(key);
            seen.add(textKey);
            out.add(s.withId("s" + (out.size() + 1)));
            if (out.size() == TOP) {
                break;
            }
        }
        return out;
    }

    private static String flowOf(Suggestion s) {
        return s != null && (Suggestion.FLOW.equals(s.kind()) || Suggestion.ACTION.equals(s.kind())) ? s.ref() : null;
    }

    private static String slotsSummary(Store store, DialogueState state, String lang) {
        if (state.active == null || state.active.slots.isEmpty()) {
            return "";
        }
        List<String> values = new ArrayList<>();
        state.active.slots.forEach((k, v) -> {
            if (!"yes".equals(v) && !"no".equals(v)) {
                values.add(store.colors().containsKey(v) ? store.colorName(v, lang) : v);
            }
        });
        return values.isEmpty() ? "" : "zh".equals(lang) ? "（" + String.join("、", values) + "）" : " (" + String.join(", ", values) + ")";
    }

    private static String intentOf(Turn t, Understanding u) {
        if (!"fallback".equals(t.source()) && t.intent() != null && !"out_of_scope".equals(t.intent())) {
            String kind = switch (t.source()) {
                case "faq" -> "faq";
                case "product" -> "product";
                case "promotion" -> "promotion";
                case "flow" -> "flow";
                default -> null;
            };
            String id = "product".equals(kind) || "promotion".equals(kind) ? t.ref() : t.flow() != null && "flow".equals(kind)
                    ? t.flow().getString("id") : t.ref() != null ? t.ref() : t.intent();
            return kind == null ? t.intent() : kind + ":" + id;
        }
        Intent top = u.top();
        return top == null || !top.confident() ? "out_of_scope" : top.kind() + ":" + top.id();
    }

    private static double confidenceOf(Turn t, Understanding u) {
        if (!"fallback".equals(t.source())) {
            return t.confidence();
        }
        Intent top = u.top();
        return top == null ? 0 : top.confidence();
    }

    private static String named(Understanding u, EntityType type) {
        return u == null ? null : u.extraction().resolved(type).map(Entity::value).orElse(null);
    }

    private static Product productUnderDiscussion(Store store, DialogueState state, Understanding u) {
        String sku = named(u, EntityType.PRODUCT);
        if (sku == null) {
            sku = state.context.get("product");
        }
        if (sku == null) {
            for (Intent i : u.intents()) {
                if (Intent.PRODUCT.equals(i.kind()) && i.confident()) {
                    sku = i.id();
                    break;
                }
            }
        }
        return sku == null ? null : store.product(sku);
    }

    static JsonArray entities(Understanding u) {
        JsonArray out = new JsonArray();
        for (Entity e : u.extraction().entities()) {
            JsonObject j = new JsonObject().put("type", e.type().code()).put("value", e.value()).put("text", e.text());
            if (!e.flags().isEmpty()) {
                j.put("flags", new JsonArray(e.flags().stream().map(f -> f.name().toLowerCase(Locale.ROOT)).sorted().toList()));
            }
            out.add(j);
        }
        return out;
    }

    /** The orders the conversation names (the message, the dialogue's context and flows), as the merchant's system reports them. */
    private CompletableFuture<JsonArray> orders(Store store, String conversationId, DialogueState state, Understanding u) {
        Set<String> ids = new LinkedHashSet<>();
        u.extraction().all(EntityType.ORDER_ID).stream().filter(Entity::isAffirmed).forEach(e -> ids.add(e.value()));
        if (state.active != null && state.active.slots.get("order") != null) {
            ids.add(state.active.slots.get("order"));
        }
        state.suspended.forEach(f -> {
            if (f.slots.get("order") != null) {
                ids.add(f.slots.get("order"));
            }
        });
        if (state.context.get("order") != null) {
            ids.add(state.context.get("order"));
        }
        JsonArray out = new JsonArray();
        if (ids.isEmpty() || !store.flows().actions().containsKey("get_order")) {
            return CompletableFuture.completedFuture(out);
        }
        List<CompletableFuture<JsonObject>> lookups = new ArrayList<>();
        for (String id : ids.stream().limit(3).toList()) {
            JsonObject params = new JsonObject().put("order", id).put("language", u.lang());
            ActionCall call = new ActionCall("get_order", params, ActionCall.key(conversationId, "assist", "get_order", params),
                    "lookup:order", null, conversationId);
            lookups.add(actions.run(store, call).thenApply(r -> r.status() == ActionResult.Status.OK
                    ? r.data().copy().put("id", r.data().getString("id", id))
                    : new JsonObject().put("id", id).put("error", r.error() == null ? r.status().name().toLowerCase(Locale.ROOT) : r.error()))
                    .exceptionally(e -> new JsonObject().put("id", id).put("error", "unavailable")));
        }
        return CompletableFuture.allOf(lookups.toArray(new CompletableFuture[0])).thenApply(v -> {
            lookups.forEach(l -> out.add(l.join()));
            return out;
        });
    }
}
