package io.nectar.loadgen.dsl;

import java.util.List;

/** A reusable, unnamed sequence of steps (a loop body, a group). Immutable. */
public final class ChainBuilder extends Steps<ChainBuilder> {

    public static final ChainBuilder EMPTY = new ChainBuilder(List.of());

    ChainBuilder(List<Action> actions) {
        super(actions);
    }

    /** Starts a chain: {@code chain().exec(...).pause(...)}. */
    public static ChainBuilder chain() {
        return EMPTY;
    }

    @Override
    ChainBuilder with(List<Action> actions) {
        return new ChainBuilder(actions);
    }
}
