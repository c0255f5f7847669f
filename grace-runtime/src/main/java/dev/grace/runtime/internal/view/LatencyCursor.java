package dev.grace.runtime.internal.view;

import dev.grace.runtime.extension.CommitLatency;
import java.util.OptionalDouble;

/**
 * Mean publish-to-commit latency of raw events since the previous read by one reader. The store
 * adds each committed batch to the running totals; each reader keeps its own cursor into them.
 */
public final class LatencyCursor {

    private final CommitLatency totals;
    private long seenEvents;
    private long seenMillis;

    public LatencyCursor(CommitLatency totals) {
        this.totals = totals;
    }

    /** The mean in seconds over events committed since the last call; empty when none were. */
    public synchronized OptionalDouble next() {
        long e = totals.events();
        long m = totals.millis();
        long de = e - seenEvents;
        long dm = m - seenMillis;
        seenEvents = e;
        seenMillis = m;
        return de <= 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.max(0, dm) / 1000.0 / de);
    }
}
