package dev.grace.benchmarks;

import dev.grace.api.MetricPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Plugin threads recording {@link BenchPlugin#LATENCY} for a fixed time, each through the publisher
 * the plugin was handed, either as fast as they can or at a fixed total rate.
 *
 * <p>Paced threads keep to a schedule, not to a sleep per event: each one records what is due by
 * the elapsed time (its share of the rate × seconds since the start), so a thread held up by a GC
 * pause catches up afterwards and the average rate is the one asked for.
 */
final class Publishers {

    /** Values recorded between two looks at the clock when flat out: the clock read stays out of the cost. */
    private static final int CHUNK = 256;
    /** The largest burst a paced thread records to catch up, so that catching up stays smooth. */
    private static final int MAX_BURST = 1024;
    private static final long IDLE_NANOS = 100_000;

    /**
     * What the threads did.
     *
     * @param startNanos   when they all began ({@link System#nanoTime()})
     * @param endNanos     when the last one stopped
     * @param calls        values recorded
     * @param returnedTrue calls the publisher accepted
     */
    record Outcome(long startNanos, long endNanos, long calls, long returnedTrue) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    /** The threads while they run. */
    static final class Running {
        private final List<Thread> threads;
        private final long startNanos;
        private final AtomicLong calls;
        private final AtomicLong accepted;

        private Running(List<Thread> threads, long startNanos, AtomicLong calls, AtomicLong accepted) {
            this.threads = threads;
            this.startNanos = startNanos;
            this.calls = calls;
            this.accepted = accepted;
        }

        long startNanos() {
            return startNanos;
        }

        /** Waits for every thread to stop. */
        Outcome await() throws InterruptedException {
            for (Thread t : threads) {
                t.join();
            }
            return new Outcome(startNanos, System.nanoTime(), calls.get(), accepted.get());
        }
    }

    private Publishers() {
    }

    /** Runs {@code threads} publishers for {@code length} and waits for them. */
    static Outcome run(MetricPublisher publisher, int threads, Duration length, double eventsPerSecond)
            throws InterruptedException {
        return start(publisher, threads, length, eventsPerSecond).await();
    }

    /**
     * Starts {@code threads} publishers that stop after {@code length}.
     *
     * @param eventsPerSecond the total rate of all threads together; 0 for as fast as they can
     */
    static Running start(MetricPublisher publisher, int threads, Duration length, double eventsPerSecond) {
        if (eventsPerSecond < 0 || Double.isNaN(eventsPerSecond) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("a publishing rate must be a finite number of events per second"
                    + " (0 for flat out), got " + eventsPerSecond);
        }
        // Every thread starts at the same instant, after all of them exist.
        long start = System.nanoTime() + 20_000_000L;
        long end = start + length.toNanos();
        double perThread = eventsPerSecond / threads;
        AtomicLong calls = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        List<Thread> list = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                long[] counts = perThread == 0 ? flatOut(publisher, start, end) : paced(publisher, start, end, perThread);
                calls.addAndGet(counts[0]);
                accepted.addAndGet(counts[1]);
            }, "bench-publisher-" + i);
            t.setDaemon(true);
            list.add(t);
        }
        list.forEach(Thread::start);
        return new Running(list, start, calls, accepted);
    }

    private static void waitUntil(long start) {
        long wait;
        while ((wait = start - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static long[] flatOut(MetricPublisher publisher, long start, long end) {
        ValueStream values = new ValueStream();
        long calls = 0;
        long accepted = 0;
        waitUntil(start);
        while (System.nanoTime() - end < 0) {
            for (int i = 0; i < CHUNK; i++) {
                if (publisher.record(BenchPlugin.LATENCY, values.nextMillis())) {
                    accepted++;
                }
            }
            calls += CHUNK;
        }
        return new long[] {calls, accepted};
    }

    private static long[] paced(MetricPublisher publisher, long start, long end, double perSecond) {
        ValueStream values = new ValueStream();
        long calls = 0;
        long accepted = 0;
        waitUntil(start);
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            long due = (long) ((now - start) * perSecond / 1e9);
            if (calls >= due) {
                LockSupport.parkNanos(IDLE_NANOS);
                continue;
            }
            long n = Math.min(due - calls, MAX_BURST);
            for (long i = 0; i < n; i++) {
                if (publisher.record(BenchPlugin.LATENCY, values.nextMillis())) {
                    accepted++;
                }
            }
            calls += n;
        }
        return new long[] {calls, accepted};
    }
}
