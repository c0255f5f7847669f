package dev.grace.runtime.internal.rollup;

import com.datadoghq.sketch.ddsketch.DDSketch;

/**
 * One hour of one KPI, striped across {@link Stripes#COUNT} cells. Values are added without a
 * shared lock; {@link #snapshot()} merges the stripes, each copied under its own lock, so every
 * value is in a snapshot or not, never half.
 */
final class HourSlot {

    final long hourStartMillis;
    private final Cell[] cells = new Cell[Stripes.COUNT];

    HourSlot(long hourStartMillis) {
        this.hourStartMillis = hourStartMillis;
        for (int i = 0; i < cells.length; i++) {
            cells[i] = new Cell();
        }
    }

    /**
     * Adds one value. Never blocks on a lock held by another writer: a busy stripe sends it to the next.
     *
     * @return false when the hour has been closed for writing (the value was not added)
     */
    boolean add(double value) {
        int[] probe = Stripes.probe();
        int h = probe[0];
        Cell cell = cells[h & Stripes.MASK];
        int attempts = 0;
        while (!cell.tryLock()) {
            h = Stripes.advance(probe);
            cell = cells[h & Stripes.MASK];
            if (++attempts >= Stripes.COUNT) {
                // Every stripe was busy (a reader copying them all); wait for the one we are on.
                cell.lock();
                break;
            }
        }
        try {
            if (cell.closed) {
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
        for (Cell cell : cells) {
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
        for (Cell cell : cells) {
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
        for (Cell cell : cells) {
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
    }
}
