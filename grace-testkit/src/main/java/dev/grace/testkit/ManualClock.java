package dev.grace.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A UTC clock that moves only when told: hand it to the runtime, then advance it in the test. Thread-safe. */
public final class ManualClock extends Clock {

    private final AtomicLong millis;

    private ManualClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /** A clock reading {@code start}. */
    public static ManualClock at(Instant start) {
        return new ManualClock(start);
    }

    /** A clock reading {@code start}, written as ISO-8601, for example {@code 2026-11-22T09:30:00Z}. */
    public static ManualClock at(String start) {
        return new ManualClock(Instant.parse(start));
    }

    /** Moves forward by {@code d} (which must not be negative). */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a manual clock only moves forward; got " + d);
        }
        millis.addAndGet(d.toMillis());
    }

    /** Jumps to {@code t}. */
    public void set(Instant t) {
        millis.set(t.toEpochMilli());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
