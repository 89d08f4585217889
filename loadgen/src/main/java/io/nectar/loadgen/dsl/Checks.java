package io.nectar.loadgen.dsl;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Ready-made {@link Check}s on chat frames (see docs/protocol.md for the fields). */
public final class Checks {

    private Checks() {
    }

    /** The frame's {@code type} is {@code expected} ({@code reply}, {@code welcome}, ...). */
    public static Check type(String expected) {
        return new Check("type=" + expected, (f, l) -> expected.equals(f.getString("type")));
    }

    /** The reply's {@code intent} is {@code expected}. */
    public static Check intent(String expected) {
        return new Check("intent=" + expected, (f, l) -> expected.equals(f.getValue("intent")));
    }

    /** The reply's {@code intent} is one of {@code allowed}. */
    public static Check intentIn(String... allowed) {
        Set<String> set = Set.copyOf(Arrays.asList(allowed));
        return new Check("intent-in" + List.of(allowed), (f, l) -> f.getValue("intent") instanceof String s && set.contains(s));
    }

    /** The reply's {@code intent} is not {@code refused} (e.g. {@code out_of_scope}). */
    public static Check intentNot(String refused) {
        return new Check("intent!=" + refused, (f, l) -> !refused.equals(f.getValue("intent")));
    }

    /** The frame's {@code text} contains {@code part}. */
    public static Check textContains(String part) {
        Objects.requireNonNull(part, "part");
        return new Check("text-contains:" + part, (f, l) -> f.getValue("text") instanceof String s && s.contains(part));
    }

    /** The frame's {@code text} is present and not blank. */
    public static Check textNotBlank() {
        return new Check("text-not-blank", (f, l) -> f.getValue("text") instanceof String s && !s.isBlank());
    }

    /** A top-level field equals {@code expected} (compared with {@link Object#equals}). */
    public static Check field(String name, Object expected) {
        return new Check(name + "=" + expected, (f, l) -> Objects.equals(expected, f.getValue(name)));
    }

    /** The answer came within {@code limit}, measured from the intended send time. */
    public static Check latencyBelow(Duration limit) {
        long nanos = limit.toNanos();
        return new Check("latency<" + limit.toMillis() + "ms", (f, l) -> l < nanos);
    }

    /** On a connect: the gateway resumed the conversation named in the URL. */
    public static Check resumed() {
        return field("resumed", true);
    }
}
