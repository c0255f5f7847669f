package dev.grace.runtime.extension;

import java.util.concurrent.atomic.AtomicLong;

/** Running totals of publish-to-commit latency over every committed raw event; the store adds each batch. */
public final class CommitLatency {
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong millis = new AtomicLong();

    /** Adds one committed batch: {@code events} raw events whose latencies sum to {@code millis}. */
    public void add(long events, long millis) {
        this.millis.addAndGet(millis);
        this.events.addAndGet(events);
    }

    /** Raw events committed so far. */
    public long events() {
        return events.get();
    }

    /** Their latencies, summed, in milliseconds. */
    public long millis() {
        return millis.get();
    }
}
