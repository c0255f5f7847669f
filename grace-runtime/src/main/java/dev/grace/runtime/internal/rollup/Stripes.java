package dev.grace.runtime.internal.rollup;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which stripe a thread writes to. Threads are dealt stripes round-robin in the order they first
 * publish, so up to {@link #COUNT} concurrent threads start on distinct stripes: two threads that
 * merely shared a stripe would rarely fail its try-lock, yet would move its cache line between cores
 * on every add. A thread that does find its stripe locked moves to another and stays there, the way
 * {@link java.util.concurrent.atomic.LongAdder} spreads its cells. The raw-event ring's shares count
 * their claims on the same stripes.
 */
public final class Stripes {

    /** Stripes per hour per KPI: the next power of two at or above twice the processors, at most 16. */
    public static final int COUNT = Math.min(16, Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1);
    public static final int MASK = COUNT - 1;

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ThreadLocal<int[]> PROBE = ThreadLocal.withInitial(() -> new int[] {NEXT.getAndIncrement()});

    private Stripes() {
    }

    public static int[] probe() {
        return PROBE.get();
    }

    /** Moves a probe after a collision (Marsaglia xorshift, as LongAdder does). */
    public static int advance(int[] probe) {
        int p = probe[0];
        if (p == 0) {
            p = 0x9E3779B9;
        }
        p ^= p << 13;
        p ^= p >>> 17;
        p ^= p << 5;
        probe[0] = p;
        return p;
    }
}
