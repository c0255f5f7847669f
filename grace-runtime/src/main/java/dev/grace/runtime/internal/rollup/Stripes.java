package dev.grace.runtime.internal.rollup;

/**
 * Which stripe a thread writes to. Each thread keeps a probe; when it finds its stripe locked by
 * another thread it moves its probe, so threads that collided spread out and stay apart, the way
 * {@link java.util.concurrent.atomic.LongAdder} spreads its cells.
 */
final class Stripes {

    /** Stripes per hour per KPI: the next power of two at or above twice the processors, at most 16. */
    static final int COUNT = Math.min(16, Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1);
    static final int MASK = COUNT - 1;

    private static final ThreadLocal<int[]> PROBE = ThreadLocal.withInitial(() -> new int[] {mix(Thread.currentThread().getId())});

    private Stripes() {
    }

    static int[] probe() {
        return PROBE.get();
    }

    /** Moves a probe after a collision (Marsaglia xorshift, as LongAdder does). */
    static int advance(int[] probe) {
        int p = probe[0];
        p ^= p << 13;
        p ^= p >>> 17;
        p ^= p << 5;
        probe[0] = p;
        return p;
    }

    private static int mix(long id) {
        long z = id * 0x9E3779B97F4A7C15L;
        int p = (int) (z ^ (z >>> 32));
        return p == 0 ? 1 : p;
    }
}
