package dev.grace.runtime.internal.rollup;

import com.datadoghq.sketch.ddsketch.DDSketch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One stripe of an hour's state for one KPI: count, sum, min, max, sum of squares and a sketch.
 *
 * <p>Guarded by a try-lock that is almost never contended: each publishing thread keeps to its own
 * stripe and moves to another when it finds its stripe busy (see {@link Stripes}), so the lock is
 * taken with one uncontended compare-and-set. Readers take the same lock to copy a consistent state.
 * The padding keeps two cells written by two threads off one cache line.
 */
final class Cell {

    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(Cell.class, "lock", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    /**
     * A long, not an int: HotSpot lays out fields of one size in declaration order, so the lock sits
     * on the same cache line as the counters it guards and an add touches one line, not two.
     */
    @SuppressWarnings("unused")
    private volatile long lock;
    long count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sumOfSquares;
    /** Set once, under the lock, when the hour is closed for writing; a writer that finds it set is refused. */
    boolean closed;
    final DDSketch sketch = Sketches.newSketch();
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;

    boolean tryLock() {
        return LOCK.compareAndSet(this, 0L, 1L);
    }

    void lock() {
        while (!tryLock()) {
            Thread.onSpinWait();
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0L);
    }

    /**
     * Adds one value; the caller holds the lock. The sketch goes first: it is the only part that
     * could refuse a value, and if it ever did, nothing would have been counted yet.
     */
    void add(double value) {
        sketch.accept(value);
        count++;
        sum += value;
        sumOfSquares += value * value;
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
    }
}
