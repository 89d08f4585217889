package io.nectar.loadgen.dsl;

import java.util.List;

/**
 * The chat protocol's actions, Gatling's {@code ws(...)} for Nectar:
 * <pre>{@code
 * scenario("faq")
 *     .feed(Feeders.demoQuestions().uniform())
 *     .exec(Chat.connect("connect").merchant("demo"))
 *     .exec(Chat.ask("ask", "#{text}").check(Checks.type("reply")))
 *     .exec(Chat.close());
 * }</pre>
 */
public final class Chat {

    private Chat() {
    }

    public static Action.Connect connect(String name) {
        return new Action.Connect(name, "", false, List.of(), Action.DEFAULT_TIMEOUT);
    }

    /** Asks {@code text} (a {@link Template}: {@code "#{text}"} takes the fed question). */
    public static Action.Ask ask(String name, String text) {
        return new Action.Ask(name, Template.of(text), List.of(), Action.DEFAULT_TIMEOUT);
    }

    /** Sends {@code text} without waiting for the answer (see {@link Action.Send}). */
    public static Action.Send send(String name, String text) {
        return new Action.Send(name, Template.of(text), List.of(), Action.DEFAULT_TIMEOUT);
    }

    /** Waits for the answers to every {@link #send} still out. */
    public static Action.AwaitReplies awaitReplies() {
        return new Action.AwaitReplies();
    }

    public static Action.Ping ping(String name) {
        return new Action.Ping(name, Action.DEFAULT_TIMEOUT);
    }

    public static Action.Close close() {
        return new Action.Close();
    }
}
