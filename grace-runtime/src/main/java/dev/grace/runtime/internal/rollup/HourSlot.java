package dev.grace.runtime.internal.rollup;

import com.datadoghq.sketch.ddsketch.DDSketch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One hour of one KPI (or one series of it), striped across up to {@link Stripes#COUNT} cells.
 * Values are added without a shared lock; {@link #snapshot()} merges the stripes, each copied under
 * its own lock, so every value is in a snapshot or not, never half.
 *
 * <p>A cell is made the first time a thread writes to its stripe in the hour (one compare-and-set
 * publishes it), at the moment the cell's sketch would allocate its first bins anyway: an hour
 * written by one thread holds one cell, and an idle series' hour holds none. That keeps a series
 * that few threads write as small as the values in it (see docs/attributes.md for the figures).
 */
final class HourSlot {

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(Cell[].class);
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(HourSlot.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long hourStartMillis;
    private final Cell[] cells = new Cell[Stripes.COUNT];
    /**
     * Set (volatile) before {@link #close()} visits the cells. A writer checks it under its cell's
     * lock after the cell was published, so a cell made while the hour closes is either visited
     * by the close or sees the flag: no value lands in a cell the close missed.
     */
    @SuppressWarnings("unused")
    private volatile boolean closed;

    HourSlot(long hourStartMillis) {
        this.hourStartMillis = hourStartMillis;
    }

    /** The cell of stripe {@code i}, made and published if there is none yet. */
    private Cell cell(int i) {
        Cell cell = (Cell) CELLS.getAcquire(cells, i);
        if (cell != null) {
            return cell;
        }
        Cell made = new Cell();
        Cell witness = (Cell) CELLS.compareAndExchange(cells, i, (Cell) null, made);
        return witness == null ? made : witness;
    }

    /**
     * Adds one value. Never blocks on a lock held by another writer: a busy stripe sends it to the next.
     *
     * @return false when the hour has been closed for writing (the value was not added)
     */
    boolean add(double value) {
        return add(value, Stripes.probe());
    }

    /** {@link #add(double)} with the calling thread's {@link Stripes#probe()}, read once by a caller that needs it again. */
    boolean add(double value, int[] probe) {
        int h = probe[0];
        Cell cell = cell(h & Stripes.MASK);
        int attempts = 0;
        while (!cell.tryLock()) {
            h = Stripes.advance(probe);
            cell = cell(h & Stripes.MASK);
            if (++attempts >= Stripes.COUNT) {
                // Every stripe was busy (a reader copying them all); wait for the one we are on.
                cell.lock();
                break;
            }
        }
        try {
            if (cell.closed || (boolean) CLOSED.getVolatile(this)) {
                return false;
            }
            cell.add(value);
            return true;
        } finally {
            cell.unlock();
        }
    }

    /**
     * Closes the hour for writing and returns its final state. A writer that raced past its checks
     * before the close finds the flag under the cell lock and is refused, so the returned state is
     * exactly what was accepted.
     */
    Snapshot close() {
        CLOSED.setVolatile(this, true);
        for (int i = 0; i < cells.length; i++) {
            Cell cell = (Cell) CELLS.getVolatile(cells, i);
            if (cell == null) {
                continue; // a writer that makes it now finds the flag set
            }
            cell.lock();
            try {
                cell.closed = true;
            } finally {
                cell.unlock();
            }
        }
        return snapshot();
    }

    /** The hour's merged state at this moment. */
    Snapshot snapshot() {
        long count = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sumOfSquares = 0;
        DDSketch merged = Sketches.newSketch();
        for (int i = 0; i < cells.length; i++) {
            Cell cell = (Cell) CELLS.getAcquire(cells, i);
            if (cell == null) {
                continue;
            }
            cell.lock();
            try {
                if (cell.count == 0) {
                    continue;
                }
                count += cell.count;
                sum += cell.sum;
                sumOfSquares += cell.sumOfSquares;
                min = Math.min(min, cell.min);
                max = Math.max(max, cell.max);
                merged.mergeWith(cell.sketch);
            } finally {
                cell.unlock();
            }
        }
        return new Snapshot(hourStartMillis, count, sum, min, max, sumOfSquares, merged);
    }

    /** How many values the slot holds now; cheaper than a snapshot, used to see whether it changed. */
    long count() {
        long count = 0;
        for (int i = 0; i < cells.length; i++) {
            Cell cell = (Cell) CELLS.getAcquire(cells, i);
            if (cell == null) {
                continue;
            }
            cell.lock();
            try {
                count += cell.count;
            } finally {
                cell.unlock();
            }
        }
        return count;
    }

    /** A merged copy of an hour's state. */
    record Snapshot(long hourStartMillis, long count, double sum, double min, double max, double sumOfSquares,
                    DDSketch sketch) {

        /** A copy with a sketch of its own, which may be merged into. */
        static Snapshot copyOf(Snapshot s) {
            return new Snapshot(s.hourStartMillis, s.count, s.sum, s.min, s.max, s.sumOfSquares, s.sketch.copy());
        }

        /** This snapshot with {@code other} merged in; this one's sketch is changed, so it must be the caller's own. */
        Snapshot mergeInPlace(Snapshot other) {
            sketch.mergeWith(other.sketch);
            return new Snapshot(hourStartMillis, count + other.count, sum + other.sum, Math.min(min, other.min),
                    Math.max(max, other.max), sumOfSquares + other.sumOfSquares, sketch);
        }
    }
}
