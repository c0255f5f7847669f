package dev.grace.runtime.internal.view;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mean publish-to-commit latency of raw events since the previous read by one reader. The store
 * writer adds each committed batch; each reader keeps its own cursor into the running totals.
 */
public final class LatencyCursor {

    /** Running totals over every committed raw event. */
    public static final class Totals {
        private final AtomicLong events = new AtomicLong();
        private final AtomicLong millis = new AtomicLong();

        /** Adds one committed batch: {@code events} raw events whose latencies sum to {@code millis}. */
        public void add(long events, long millis) {
            this.millis.addAndGet(millis);
            this.events.addAndGet(events);
        }
    }

    private final Totals totals;
    private long seenEvents;
    private long seenMillis;

    public LatencyCursor(Totals totals) {
        this.totals = totals;
    }

    /** The mean in seconds over events committed since the last call; empty when none were. */
    public synchronized OptionalDouble next() {
        long e = totals.events.get();
        long m = totals.millis.get();
        long de = e - seenEvents;
        long dm = m - seenMillis;
        seenEvents = e;
        seenMillis = m;
        return de <= 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.max(0, dm) / 1000.0 / de);
    }
}
