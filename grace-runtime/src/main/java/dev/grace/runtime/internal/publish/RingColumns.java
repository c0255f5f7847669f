package dev.grace.runtime.internal.publish;

import dev.grace.runtime.internal.rollup.KpiAccumulator;

import java.util.Arrays;
import java.util.Map;

/**
 * The raw-event thread's reused batch: the ring drains into these columns and the sinks read them,
 * so a drain allocates nothing. Written and read by the raw-event thread only.
 */
final class RingColumns implements RawEventColumns {

    private final KpiAccumulator[] sources;
    private final double[] values;
    private final long[] times;
    private final Object[] metadata;
    private int size;
    /** Per lane, the consumer index after the last drain into these columns: what is delivered once the sink returns. */
    final long[] laneEnds;
    /** The lane the next drain starts at, so that no lane is always drained last. */
    int nextLane;

    RingColumns(int capacity, int lanes) {
        sources = new KpiAccumulator[capacity];
        values = new double[capacity];
        times = new long[capacity];
        metadata = new Object[capacity];
        laneEnds = new long[lanes];
    }

    int room() {
        return sources.length - size;
    }

    /**
     * Adds {@code length} events of one run: their values are {@code ringValues} from slot
     * {@code from} on, wrapping at the array's end; source, time and metadata are the run's.
     */
    void addRun(KpiAccumulator source, long epochMillis, Object meta, double[] ringValues, int from, int length) {
        int i = size;
        int first = Math.min(length, ringValues.length - from);
        System.arraycopy(ringValues, from, values, i, first);
        if (first < length) {
            System.arraycopy(ringValues, 0, values, i + first, length - first);
        }
        Arrays.fill(sources, i, i + length, source);
        Arrays.fill(times, i, i + length, epochMillis);
        if (meta != null) {
            Arrays.fill(metadata, i, i + length, meta);
        }
        size = i + length;
    }

    /** Forgets the rows (and the references they hold) before the next drain. */
    void clear() {
        Arrays.fill(sources, 0, size, null);
        Arrays.fill(metadata, 0, size, null);
        size = 0;
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("row " + i + " of a batch of " + size);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String pluginId(int i) {
        check(i);
        return sources[i].pluginId();
    }

    @Override
    public String domain(int i) {
        check(i);
        return sources[i].domain();
    }

    @Override
    public String kpi(int i) {
        check(i);
        return sources[i].kpi().name();
    }

    @Override
    public String series(int i) {
        check(i);
        return sources[i].series();
    }

    @Override
    public double value(int i) {
        check(i);
        return values[i];
    }

    @Override
    public long epochMillis(int i) {
        check(i);
        return times[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> metadata(int i) {
        check(i);
        return (Map<String, String>) metadata[i];
    }
}
