package dev.grace.runtime.internal.rollup;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The hourly state of one KPI of one plugin: the hour being written, the past hours that late
 * events may still reach, and the closed hours kept for reading.
 *
 * <p>{@link #current} is the hot path's only read: a volatile load of the hour the ticker last
 * turned to. Everything else (finding a past hour, turning the hour, reading) takes this object's
 * monitor, which the hot path never touches.
 */
public final class KpiAccumulator {

    static final long HOUR_MILLIS = 3_600_000L;

    private final String pluginId;
    private final String domain;
    private final Kpi kpi;
    /** The series' canonical key; {@code ""} for the KPI's own accumulator. */
    private final String series = dev.grace.api.SeriesKey.TOTAL;
    /**
     * The valid range narrowed to {@link MetricPublisher#MAX_MAGNITUDE}, so one comparison pair
     * rejects NaN, ±Infinity, out-of-range values and magnitudes whose squares could overflow a sum.
     */
    final double min;
    final double max;

    private volatile HourSlot current;
    /** Hours still open for writing, oldest first; includes {@link #current}. Guarded by this. */
    private final List<HourSlot> open = new ArrayList<>(4);
    /** Closed hours kept in memory for reading, oldest first. Guarded by this. */
    private final Deque<HourSlot.Snapshot> closed = new ArrayDeque<>();
    /** Values in closed hours that no longer fit in memory. Guarded by this. */
    private long retiredCount;

    KpiAccumulator(String pluginId, String domain, Kpi kpi, long nowMillis) {
        this.pluginId = pluginId;
        this.domain = domain;
        this.kpi = kpi;
        this.min = Math.max(kpi.min(), -MetricPublisher.MAX_MAGNITUDE);
        this.max = Math.min(kpi.max(), MetricPublisher.MAX_MAGNITUDE);
        this.current = slotFor(hourStart(nowMillis));
    }

    /** The hour (epoch millis, UTC) that contains {@code millis}. */
    public static long hourStart(long millis) {
        return Math.floorDiv(millis, HOUR_MILLIS) * HOUR_MILLIS;
    }

    public String pluginId() {
        return pluginId;
    }

    public String domain() {
        return domain;
    }

    public Kpi kpi() {
        return kpi;
    }

    /** The series' canonical key ({@link dev.grace.api.SeriesKey}); {@code ""} for the KPI's own accumulator. */
    public String series() {
        return series;
    }

    /**
     * Whether the value is inside the KPI's range and within {@link MetricPublisher#MAX_MAGNITUDE};
     * false for NaN and infinities.
     */
    public boolean inRange(double value) {
        return value >= min && value <= max;
    }

    /**
     * Adds a value to the current hour: the hot path.
     *
     * @return false when the hour is closed (only after the runtime closed)
     */
    public boolean addNow(double value) {
        HourSlot slot = current;
        while (!slot.add(value)) {
            // The slot closed under us: the clock moved past the lateness limit between our read of
            // current and the add. A value recorded "now" belongs to the current hour, so follow it;
            // only when current itself is closed (the runtime closed) is the value refused.
            HourSlot newer = current;
            if (newer == slot) {
                return false;
            }
            slot = newer;
        }
        return true;
    }

    /**
     * Adds a value to the hour containing {@code eventMillis}; the caller has checked the time
     * against the clock and the lateness limit.
     *
     * @return false when that hour is already closed
     */
    public boolean addAt(long eventMillis, double value) {
        long hour = hourStart(eventMillis);
        HourSlot slot = current;
        if (slot.hourStartMillis != hour) {
            synchronized (this) {
                slot = slotFor(hour);
            }
            if (slot == null) {
                return false;
            }
        }
        return slot.add(value);
    }

    /** Finds or opens the slot for an hour; null when that hour has already been closed. Caller holds this. */
    private HourSlot slotFor(long hour) {
        for (HourSlot slot : open) {
            if (slot.hourStartMillis == hour) {
                return slot;
            }
        }
        if (!closed.isEmpty() && closed.peekLast().hourStartMillis() >= hour) {
            return null;
        }
        HourSlot slot = new HourSlot(hour);
        int i = 0;
        while (i < open.size() && open.get(i).hourStartMillis < hour) {
            i++;
        }
        open.add(i, slot);
        return slot;
    }

    /**
     * Turns to the hour containing {@code nowMillis} and closes hours that no late event can reach
     * any more: those that ended before {@code closeBeforeMillis}.
     */
    synchronized void turn(long nowMillis, long closeBeforeMillis, int keepClosedHours) {
        long hour = hourStart(nowMillis);
        if (current.hourStartMillis != hour) {
            current = slotFor(hour);
        }
        while (!open.isEmpty()) {
            HourSlot oldest = open.get(0);
            if (oldest == current || oldest.hourStartMillis + HOUR_MILLIS > closeBeforeMillis) {
                break;
            }
            open.remove(0);
            keep(oldest.close(), keepClosedHours);
        }
    }

    /** Closes every hour for good: after this, every add is refused. Returns nothing; read the state after. */
    synchronized void closeAll(int keepClosedHours) {
        for (HourSlot slot : open) {
            keep(slot.close(), keepClosedHours);
        }
        open.clear();
    }

    private void keep(HourSlot.Snapshot snapshot, int keepClosedHours) {
        if (snapshot.count() == 0) {
            return;
        }
        closed.addLast(snapshot);
        while (closed.size() > keepClosedHours) {
            retiredCount += closed.removeFirst().count();
        }
    }

    /** Every hour held, closed and open, oldest first. */
    synchronized List<HourSlot.Snapshot> snapshots() {
        List<HourSlot.Snapshot> out = new ArrayList<>(closed.size() + open.size());
        out.addAll(closed);
        for (HourSlot slot : open) {
            HourSlot.Snapshot s = slot.snapshot();
            if (s.count() > 0) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Adds each hour held and its count now into {@code counts}: closed hours as kept, open hours
     * counted (cheaper than a snapshot: no sketch is merged).
     */
    synchronized void addCounts(java.util.Map<Long, Long> counts) {
        for (HourSlot.Snapshot s : closed) {
            counts.merge(s.hourStartMillis(), s.count(), Long::sum);
        }
        for (HourSlot slot : open) {
            long c = slot.count();
            if (c > 0) {
                counts.merge(slot.hourStartMillis, c, Long::sum);
            }
        }
    }

    /** One hour's state now, or null when this accumulator holds no values for it. */
    synchronized HourSlot.Snapshot hour(long hourStartMillis) {
        for (HourSlot slot : open) {
            if (slot.hourStartMillis == hourStartMillis) {
                HourSlot.Snapshot s = slot.snapshot();
                return s.count() == 0 ? null : s;
            }
        }
        for (HourSlot.Snapshot s : closed) {
            if (s.hourStartMillis() == hourStartMillis) {
                return s;
            }
        }
        return null;
    }

    /** Every value ever accepted into this accumulator. */
    synchronized long acceptedCount() {
        long total = retiredCount;
        for (HourSlot.Snapshot s : closed) {
            total += s.count();
        }
        for (HourSlot slot : open) {
            total += slot.count();
        }
        return total;
    }

    /** The hour the hot path writes to now. */
    long currentHourStart() {
        return current.hourStartMillis;
    }
}
