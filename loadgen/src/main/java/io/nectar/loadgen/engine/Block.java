package io.nectar.loadgen.engine;

import io.nectar.loadgen.dsl.Action;

import java.util.List;

/**
 * A running block of a virtual user's scenario: the scenario itself, a loop or a group, with the step it is
 * at. Used on the user's event loop only.
 */
final class Block {

    final List<Action> actions;
    final Action.Loop loop;
    final Action.Group group;
    final long startIntended;
    final int kosAtStart;
    int index;
    int passes;
    long paceDue = -1;

    /**
     * @param startIntended when the block was due to start (a group's time counts from it)
     * @param kosAtStart    the user's failures so far (a group is OK if it adds none)
     */
    Block(List<Action> actions, Action.Loop loop, Action.Group group, long startIntended, int kosAtStart) {
        this.actions = actions;
        this.loop = loop;
        this.group = group;
        this.startIntended = startIntended;
        this.kosAtStart = kosAtStart;
    }

    /** Whether a loop block, at its end, runs its body again: forever, for a number of passes or for a while. */
    boolean again() {
        passes++;
        if (loop.forever()) {
            return true;
        }
        if (loop.times() > 0 && passes >= loop.times()) {
            return false;
        }
        return loop.duration() == null || System.nanoTime() - startIntended < loop.duration().toNanos();
    }
}
