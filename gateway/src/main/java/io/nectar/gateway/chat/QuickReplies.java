package io.nectar.gateway.chat;

import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.Store;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The buttons a client may offer under a reply ({@code quickReplies} in the reply frame): a
 * {@code label} to show and the {@code text} to send when pressed, in the reply's language. Yes/no at a
 * consent question, confirm/cancel at a confirmation step, retry after the merchant's system did not
 * answer, the questions the shopper may have meant, and the offer of a person after a fallback. A client
 * should only keep the newest set clickable. Pure; any thread.
 */
public final class QuickReplies {

    private record Words(String yes, String yesText, String no, String noText, String confirm, String confirmText,
                         String cancel, String cancelText, String retry, String retryText, String human, String humanText) {
    }

    private static final Words ZH = new Words("好的", "好的", "不用", "不用", "确认", "确认", "取消", "算了",
            "重试", "重试", "转人工客服", "转人工");
    private static final Words EN = new Words("Yes", "yes", "No", "no", "Confirm", "yes", "Cancel", "never mind",
            "Retry", "retry", "Talk to a person", "I want to talk to a human agent");

    private QuickReplies() {
    }

    /**
     * @param flow           the reply's {@code flow} object, or {@code null}
     * @param suggestions    other questions the shopper may have meant
     * @param handoffOffered whether the reply offers a human agent
     */
    static JsonArray of(Store store, String lang, JsonObject flow, List<String> suggestions, boolean handoffOffered) {
        Words w = "zh".equals(lang) ? ZH : EN;
        JsonArray out = new JsonArray();
        if (flow != null && "active".equals(flow.getString("status"))) {
            String step = flow.getString("step", "");
            if ("confirm".equals(step)) {
                add(out, w.confirm(), w.confirmText());
                add(out, w.cancel(), w.cancelText());
            } else if ("retry".equals(step)) {
                add(out, w.retry(), w.retryText());
                add(out, w.cancel(), w.cancelText());
            } else if (isYesNo(store, flow.getString("id"), step)) {
                add(out, w.yes(), w.yesText());
                add(out, w.no(), w.noText());
            }
        }
        for (String s : suggestions) {
            add(out, s, s);
        }
        if (handoffOffered) {
            add(out, w.human(), w.humanText());
        }
        return out;
    }

    private static boolean isYesNo(Store store, String flowId, String step) {
        Flow f = flowId == null ? null : store.flows().flow(flowId);
        Flow.Slot slot = f == null ? null : f.slot(step);
        return slot != null && Flow.YES_NO.equals(slot.type());
    }

    private static void add(JsonArray out, String label, String text) {
        out.add(new JsonObject().put("label", label).put("text", text));
    }
}
