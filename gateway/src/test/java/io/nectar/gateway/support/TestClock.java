package io.nectar.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand (thread-safe), so time-driven behaviour is tested without sleeping. */
public final class TestClock extends Clock {

    private volatile long millis;

    public TestClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    public synchronized void advance(Duration d) {
        millis += d.toMillis();
    }

    public void set(Instant t) {
        millis = t.toEpochMilli();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock is UTC");
    }
}
