package io.nectar.loadgen.dsl;

import java.util.List;
import java.util.Objects;

/**
 * What one virtual user does, start to end. Immutable, so all methods return a new occurrence. The
 * workload model is chosen by the method that turns it into a {@link Population}: {@link #injectOpen}
 * (users arrive on a schedule) or {@link #injectClosed} (a number of users is held).
 */
public final class Scenario extends Steps<Scenario> {

    private final String name;

    private Scenario(String name, List<Action> actions) {
        super(actions);
        this.name = Objects.requireNonNull(name, "name");
    }

    public static Scenario scenario(String name) {
        return new Scenario(name, List.of());
    }

    public String name() {
        return name;
    }

    @Override
    Scenario with(List<Action> actions) {
        return new Scenario(name, actions);
    }

    public Population injectOpen(OpenInjection... steps) {
        return new Population(this, List.of(steps), List.of());
    }

    public Population injectClosed(ClosedInjection... steps) {
        return new Population(this, List.of(), List.of(steps));
    }
}
