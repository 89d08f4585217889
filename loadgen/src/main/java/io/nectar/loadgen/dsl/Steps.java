package io.nectar.loadgen.dsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fluent step methods shared by {@link Scenario} and {@link ChainBuilder}. Immutable: every method
 * returns a new occurrence with the step appended.
 */
public abstract class Steps<T extends Steps<T>> {

    private final List<Action> actions;

    Steps(List<Action> actions) {
        this.actions = List.copyOf(actions);
    }

    abstract T with(List<Action> actions);

    public List<Action> actions() {
        return actions;
    }

    public T exec(Action... more) {
        List<Action> l = new ArrayList<>(actions);
        l.addAll(Arrays.asList(more));
        return with(l);
    }

    public T exec(Steps<?> chain) {
        List<Action> l = new ArrayList<>(actions);
        l.addAll(chain.actions());
        return with(l);
    }

    public T feed(FeederBuilder feeder) {
        return exec(new Action.Feed(feeder));
    }

    public T pause(Duration d) {
        return exec(new Action.Pause(d, d));
    }

    /** Think time drawn uniformly from [min, max]. */
    public T pause(Duration min, Duration max) {
        return exec(new Action.Pause(min, max));
    }

    public T pace(Duration interval) {
        return exec(new Action.Pace(interval));
    }

    public T repeat(int times, Steps<?> body) {
        if (times < 1) {
            throw new IllegalArgumentException("repeat needs times >= 1, was " + times);
        }
        return exec(new Action.Loop(body.actions(), times, null));
    }

    /** Loops the body while less than {@code duration} has passed since the loop started. */
    public T during(Duration duration, Steps<?> body) {
        return exec(new Action.Loop(body.actions(), 0, duration));
    }

    /** Loops the body until the simulation stops the user (closed injection end or max duration). */
    public T forever(Steps<?> body) {
        return exec(new Action.Loop(body.actions(), 0, null));
    }

    public T group(String name, Steps<?> body) {
        return exec(new Action.Group(name, body.actions()));
    }
}
