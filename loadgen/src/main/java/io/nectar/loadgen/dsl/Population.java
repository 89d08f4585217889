package io.nectar.loadgen.dsl;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A scenario with its injection profile: open steps or closed steps, never both. */
public record Population(Scenario scenario, List<OpenInjection> open, List<ClosedInjection> closed) {

    public Population {
        Objects.requireNonNull(scenario, "scenario");
        open = List.copyOf(open);
        closed = List.copyOf(closed);
        if (open.isEmpty() == closed.isEmpty()) {
            throw new IllegalArgumentException("scenario " + scenario.name() + " needs open or closed injection steps (not both)");
        }
    }

    public boolean isClosed() {
        return !closed.isEmpty();
    }

    /** Total length of the injection profile. */
    public Duration injectionDuration() {
        Duration d = Duration.ZERO;
        for (OpenInjection s : open) {
            d = d.plus(s.duration());
        }
        for (ClosedInjection s : closed) {
            d = d.plus(s.duration());
        }
        return d;
    }

    /** Upper bound of users live at once (open: every arrival; closed: the highest target). */
    public long peakUsers() {
        if (isClosed()) {
            return closed.stream().mapToInt(ClosedInjection::peak).max().orElse(0);
        }
        return open.stream().mapToLong(OpenInjection::userCount).sum();
    }

    /** Closed model: users wanted {@code nanos} after the profile started (0 after the end). */
    public int closedTargetAt(long nanos) {
        long t = nanos;
        for (ClosedInjection s : closed) {
            long d = s.duration().toNanos();
            if (t < d) {
                return s.targetAt(t);
            }
            t -= d;
        }
        return 0;
    }
}
