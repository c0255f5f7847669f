package dev.grace.runtime.internal.rollup;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.SeriesKey;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The hourly state of one KPI of one plugin: the hour being written, the past hours that late
 * events may still reach, and the closed hours kept for reading.
 *
 * <p>{@link #current} is the hot path's only read: a volatile load of the hour the ticker last
 * turned to. Everything else (finding a past hour, turning the hour, reading) takes this object's
 * monitor, which the hot path never touches.
 *
 * <p><b>Series.</b> The accumulator a plugin's KPI is registered with holds the values recorded
 * without attributes; each series bound on it ({@link #series}) is an accumulator of its own, with
 * its own hours and stripes, so recording on one series shares nothing with another. The series
 * are turned and closed with it (its monitor, then theirs: never the other way round); the KPI's
 * total is merged from all of them by the reader ({@link RollupRegistry}). A new attribute set
 * past the KPI's {@link Kpi#maxSeries()} (counted per domain by a {@link SeriesBudget}) gets the
 * one overflow series.
 */
public final class KpiAccumulator {

    static final long HOUR_MILLIS = 3_600_000L;

    private final String pluginId;
    private final String domain;
    private final Kpi kpi;
    /** The series' canonical key; {@code ""} for the KPI's own accumulator. */
    private final String series;
    /** The series' attributes; empty for the KPI's own accumulator and the overflow series. */
    private final Map<String, String> attributes;
    /** The series bound on this KPI (null on a series itself), by attribute set, overflowed sets included. */
    private final SeriesIndex byAttributes;
    /** The series, overflow included, in the order bound. Guarded by this. */
    private final List<KpiAccumulator> children;
    /** The shared bound on distinct series of this KPI in its domain; null on a series. */
    private final SeriesBudget budget;
    /** The overflow series, made when first needed. Guarded by this. */
    private KpiAccumulator overflow;
    /** Overflowed attribute sets remembered in {@link #byAttributes}, at most {@link Kpi#maxSeries()}. Guarded by this. */
    private int overflowAliases;
    /** Set by {@link #closeAll}: series bound after it are closed at once. Guarded by this. */
    private boolean allClosed;
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
        this(pluginId, domain, kpi, nowMillis, SeriesBudget.own(kpi));
    }

    KpiAccumulator(String pluginId, String domain, Kpi kpi, long nowMillis, SeriesBudget budget) {
        this.pluginId = pluginId;
        this.domain = domain;
        this.kpi = kpi;
        this.series = SeriesKey.TOTAL;
        this.attributes = Map.of();
        boolean attributed = kpi.hasAttributes();
        this.byAttributes = attributed ? new SeriesIndex(kpi.attributes().stream().map(Kpi.Attribute::key).toList()) : null;
        this.children = attributed ? new ArrayList<>() : List.of();
        this.budget = budget;
        this.min = Math.max(kpi.min(), -MetricPublisher.MAX_MAGNITUDE);
        this.max = Math.min(kpi.max(), MetricPublisher.MAX_MAGNITUDE);
        this.current = slotFor(hourStart(nowMillis));
    }

    /** A series of {@code root}, starting on root's current hour; the caller holds root's monitor. */
    private KpiAccumulator(KpiAccumulator root, String series, Map<String, String> attributes) {
        this.pluginId = root.pluginId;
        this.domain = root.domain;
        this.kpi = root.kpi;
        this.series = series;
        this.attributes = attributes;
        this.byAttributes = null;
        this.children = List.of();
        this.budget = null;
        this.min = root.min;
        this.max = root.max;
        this.current = slotFor(root.current.hourStartMillis);
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

    /** The series' canonical key ({@link SeriesKey}); {@code ""} for the KPI's own accumulator. */
    public String series() {
        return series;
    }

    /** The series' attributes, sorted by key; empty for the KPI's own accumulator and the overflow series. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** Whether this is the KPI's overflow series. */
    public boolean isOverflow() {
        return SeriesKey.isOverflow(series);
    }

    /**
     * The series already bound to an attribute set equal to {@code attributes} (or the overflow
     * series it went to), or null: a lock-free lookup that allocates nothing ({@link SeriesIndex}).
     * Null on a KPI without attributes. Throws only when the caller's map does.
     */
    public KpiAccumulator boundSeries(Map<String, String> attributes) {
        return byAttributes == null ? null : byAttributes.find(attributes);
    }

    /**
     * The series for a checked attribute set (an immutable, sorted copy of declared keys and
     * allowed values, not empty), binding it if new: its own accumulator while the KPI's domain is
     * under its series bound, else the overflow series. Never null.
     */
    public KpiAccumulator series(Map<String, String> checked) {
        KpiAccumulator found = byAttributes.find(checked);
        if (found != null) {
            return found;
        }
        synchronized (this) {
            found = byAttributes.find(checked);
            if (found != null) {
                return found;
            }
            String key = SeriesKey.of(checked);
            KpiAccumulator bound;
            if (budget.admit(key)) {
                bound = newChild(key, checked);
                byAttributes.add(checked, bound);
            } else {
                if (overflow == null) {
                    overflow = newChild(SeriesKey.OVERFLOW, Map.of());
                }
                bound = overflow;
                // Remembered so a by-map record of it is a hit, but never more than a bound's worth.
                if (overflowAliases < kpi.maxSeries()) {
                    overflowAliases++;
                    byAttributes.add(checked, bound);
                }
            }
            return bound;
        }
    }

    /** Caller holds this. */
    private KpiAccumulator newChild(String key, Map<String, String> attrs) {
        KpiAccumulator child = new KpiAccumulator(this, key, attrs);
        if (allClosed) {
            child.closeAll(0);
        }
        children.add(child);
        return child;
    }

    /** The series bound so far, overflow included; empty on a KPI without attributes or on a series. */
    synchronized List<KpiAccumulator> children() {
        return children.isEmpty() ? List.of() : new ArrayList<>(children);
    }

    /** The overflow series, or null when no attribute set has overflowed. */
    synchronized KpiAccumulator overflow() {
        return overflow;
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
        for (KpiAccumulator child : children) {
            child.turn(nowMillis, closeBeforeMillis, keepClosedHours);
        }
    }

    /** Closes every hour for good: after this, every add is refused. Returns nothing; read the state after. */
    synchronized void closeAll(int keepClosedHours) {
        for (HourSlot slot : open) {
            keep(slot.close(), keepClosedHours);
        }
        open.clear();
        allClosed = true;
        for (KpiAccumulator child : children) {
            child.closeAll(keepClosedHours);
        }
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
