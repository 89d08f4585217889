package io.nectar.gateway.browser;

import io.vertx.core.json.Json;

/**
 * A tab with the chat widget: evaluates expressions inside the widget's shadow root, bound to {@code R}
 * (tests see the widget as a page's script would, through its open shadow root).
 */
final class WidgetPage {

    final CdpPage page;

    WidgetPage(CdpPage page) {
        this.page = page;
    }

    /** {@code expression} with {@code R} = the widget's shadow root ({@code false} while there is none). */
    static String in(String expression) {
        return "(() => { const h = document.querySelector('nectar-chat'); const R = h && h.shadowRoot; if (!R) return false; return ("
                + expression + "); })()";
    }

    Object eval(String expression) throws Exception {
        return page.eval(in(expression));
    }

    String text(String expression) throws Exception {
        Object v = eval(expression);
        return v == null ? null : v.toString();
    }

    /** The value of an expression that gives an array, as a list (numbers as Integer/Long/Double). */
    java.util.List<Object> list(String expression) throws Exception {
        Object v = eval(expression);
        return v instanceof io.vertx.core.json.JsonArray a ? a.getList() : null;
    }

    long count(String selector) throws Exception {
        return ((Number) eval("R.querySelectorAll(" + Json.encode(selector) + ").length")).longValue();
    }

    boolean visible(String selector) throws Exception {
        return Boolean.TRUE.equals(eval("(() => { const e = R.querySelector(" + Json.encode(selector)
                + "); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0"
                + " && getComputedStyle(e).visibility !== 'hidden'; })()"));
    }

    void waitFor(String expression, long timeoutMillis) throws Exception {
        page.waitFor(in(expression), timeoutMillis);
    }

    void click(String selector) throws Exception {
        eval("(R.querySelector(" + Json.encode(selector) + ").click(), true)");
    }

    /** Puts text in the message box and sends it as the send button would. */
    void send(String text) throws Exception {
        eval("(() => { const i = R.getElementById('text'); i.value = " + Json.encode(text)
                + "; i.dispatchEvent(new Event('input')); R.querySelector('form').requestSubmit(); return true; })()");
    }

    /** Waits until no message waits for its reply, and at least {@code bots} bot bubbles are shown. */
    void awaitReplies(int bots) throws Exception {
        waitFor("R.querySelectorAll('.msg.bot').length >= " + bots + " && !R.querySelector('.pending')", 20_000);
    }

    String lastBotText() throws Exception {
        return text("[...R.querySelectorAll('.msg.bot')].pop().querySelector('.text').textContent");
    }

    /** The conversation id the widget keeps for {@code merchant}, or null. */
    String conversationId(String merchant) throws Exception {
        Object v = page.eval("(() => { const c = JSON.parse(localStorage.getItem('nectar.conversation." + merchant
                + "') || 'null'); return c && c.id; })()");
        return v == null ? null : v.toString();
    }
}
