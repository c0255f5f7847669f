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
    /** The latest hour closed (epoch millis); no slot at or before it is opened again. Guarded by this. */
    private long closedThroughHour = Long.MIN_VALUE;
    /**
     * Closed hours a series keeps in memory, for the store to collect and for drill-down readers;
     * the KPI's total keeps its own (merged from the series) as long as a KPI without series. Hours
     * that close together (the runtime's close, a clock jump) are all kept until the next turn.
     */
    static final int SERIES_KEEP_CLOSED_HOURS = 1;

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
        this.closedThroughHour = root.closedThroughHour;
        HourSlot slot = slotFor(root.current.hourStartMillis);
        if (slot == null) { // bound after the runtime closed: a closed slot refuses every value
            slot = new HourSlot(root.current.hourStartMillis);
            slot.close();
        }
        this.current = slot;
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
        return addNow(value, Stripes.probe());
    }

    /**
     * {@link #addNow(double)} with the calling thread's {@link Stripes#probe()}: the publisher reads
     * it once for the rollup and the raw-event ring, which then writes the lane of the stripe the add
     * ended on.
     */
    public boolean addNow(double value, int[] probe) {
        HourSlot slot = current;
        while (!slot.add(value, probe)) {
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
        if (hour <= closedThroughHour || !closed.isEmpty() && closed.peekLast().hourStartMillis() >= hour) {
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
     * any more: those that ended before {@code closeBeforeMillis}. On a KPI with series, the series
     * turn with it, and each hour closed is kept here as the KPI's total: its own values merged
     * with every series' values of that hour, so the total of a closed hour no longer depends on
     * how long the series keep theirs ({@link #SERIES_KEEP_CLOSED_HOURS}).
     */
    synchronized void turn(long nowMillis, long closeBeforeMillis, int keepClosedHours) {
        long hour = hourStart(nowMillis);
        if (current.hourStartMillis != hour) {
            current = slotFor(hour);
        }
        for (KpiAccumulator child : children) {
            child.turnTo(hour);
        }
        List<Long> closing = closableHours(closeBeforeMillis);
        for (long h : closing) {
            closeHour(h, keepClosedHours, seriesKeep(closing.size(), keepClosedHours));
        }
    }

    /**
     * Closed hours a series keeps after {@code closing} hours closed at once: every one of them (a
     * clock that jumped, or the runtime's close), so that the store collects each hour's final state
     * before the next turn lets all but {@link #SERIES_KEEP_CLOSED_HOURS} go.
     */
    private static int seriesKeep(int closing, int keepClosedHours) {
        return Math.min(keepClosedHours, Math.max(SERIES_KEEP_CLOSED_HOURS, closing));
    }

    /** Series only: moves the hot path to {@code hour}. Caller holds the KPI's monitor. */
    private synchronized void turnTo(long hour) {
        if (current.hourStartMillis != hour) {
            HourSlot slot = slotFor(hour);
            if (slot != null) {
                current = slot;
            }
        }
    }

    /** The open hours, here and in the series, that ended before {@code closeBeforeMillis}, oldest first; never the current hour. */
    private List<Long> closableHours(long closeBeforeMillis) {
        java.util.TreeSet<Long> hours = new java.util.TreeSet<>();
        addClosable(closeBeforeMillis, hours);
        for (KpiAccumulator child : children) {
            child.addClosable(closeBeforeMillis, hours);
        }
        return new ArrayList<>(hours);
    }

    private synchronized void addClosable(long closeBeforeMillis, java.util.Set<Long> hours) {
        for (HourSlot slot : open) {
            if (slot != current && slot.hourStartMillis + HOUR_MILLIS <= closeBeforeMillis) {
                hours.add(slot.hourStartMillis);
            }
        }
    }

    /**
     * Closes one hour here and in every series, keeping the series' snapshots in the series and
     * their merge with this accumulator's own values here. Caller holds this.
     */
    private void closeHour(long hour, int keepClosedHours, int seriesKeep) {
        HourSlot.Snapshot total = closeOwn(hour);
        for (KpiAccumulator child : children) {
            HourSlot.Snapshot s = child.closeSeriesHour(hour, seriesKeep);
            if (s != null) {
                total = total == null ? HourSlot.Snapshot.copyOf(s) : total.mergeInPlace(s);
            }
        }
        if (total != null) {
            keep(total, keepClosedHours);
        }
    }

    /** Closes this accumulator's own slot of {@code hour}; its snapshot, or null when it had none. Caller holds this. */
    private HourSlot.Snapshot closeOwn(long hour) {
        if (hour > closedThroughHour) {
            closedThroughHour = hour;
        }
        for (int i = 0; i < open.size(); i++) {
            HourSlot slot = open.get(i);
            if (slot.hourStartMillis == hour) {
                open.remove(i);
                return slot.close();
            }
        }
        return null;
    }

    /** Series only: closes one hour and keeps it (at most {@code keep} closed hours); its snapshot or null. */
    private synchronized HourSlot.Snapshot closeSeriesHour(long hour, int keep) {
        HourSlot.Snapshot s = closeOwn(hour);
        if (s != null) {
            keep(s, keep);
        }
        return s;
    }

    /** Closes every hour for good: after this, every add is refused. Returns nothing; read the state after. */
    synchronized void closeAll(int keepClosedHours) {
        java.util.TreeSet<Long> hours = new java.util.TreeSet<>();
        addClosable(Long.MAX_VALUE, hours);
        hours.add(current.hourStartMillis);
        for (KpiAccumulator child : children) {
            child.addClosable(Long.MAX_VALUE, hours);
            hours.add(child.currentHourStart());
        }
        for (long h : hours) {
            closeHour(h, keepClosedHours, seriesKeep(hours.size(), keepClosedHours));
        }
        // a slot the runtime could still reach: none is left open, the current one included
        current.close();
        for (KpiAccumulator child : children) {
            child.closeRemaining();
        }
    }

    /** Series only: closes whatever slot is left, so a value recorded after the runtime closed is refused. */
    private synchronized void closeRemaining() {
        current.close();
        for (HourSlot slot : open) {
            slot.close();
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

    /**
     * The KPI's total for every hour held, oldest first: closed hours as kept (already merged with
     * the series), open hours merged now from this accumulator's own slot and every series' slot.
     */
    synchronized List<HourSlot.Snapshot> totalSnapshots() {
        if (children.isEmpty()) {
            return snapshots();
        }
        java.util.TreeSet<Long> openHours = new java.util.TreeSet<>();
        addOpenHours(openHours);
        for (KpiAccumulator child : children) {
            child.addOpenHours(openHours);
        }
        List<HourSlot.Snapshot> out = new ArrayList<>(closed);
        for (long h : openHours) {
            HourSlot.Snapshot s = totalHour(h);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private synchronized void addOpenHours(java.util.Set<Long> hours) {
        for (HourSlot slot : open) {
            if (slot.hourStartMillis > closedThroughHour) {
                hours.add(slot.hourStartMillis);
            }
        }
    }

    /** The KPI's total of one hour: kept if closed, else merged now; null when it holds no values. */
    synchronized HourSlot.Snapshot totalHour(long hourStartMillis) {
        if (children.isEmpty() || hourStartMillis <= closedThroughHour) {
            return hour(hourStartMillis);
        }
        HourSlot.Snapshot total = openHour(hourStartMillis);
        for (KpiAccumulator child : children) {
            HourSlot.Snapshot s = child.openHour(hourStartMillis);
            if (s != null) {
                total = total == null ? s : total.mergeInPlace(s);
            }
        }
        return total;
    }

    /** The open slot's state of one hour (a fresh copy the caller may change), or null. */
    private synchronized HourSlot.Snapshot openHour(long hourStartMillis) {
        for (HourSlot slot : open) {
            if (slot.hourStartMillis == hourStartMillis) {
                HourSlot.Snapshot s = slot.snapshot();
                return s.count() == 0 ? null : s;
            }
        }
        return null;
    }

    /** {@link #addCounts} of the KPI's total: closed totals as kept, open hours here and in every series. */
    synchronized void addTotalCounts(Map<Long, Long> counts) {
        addCounts(counts);
        for (KpiAccumulator child : children) {
            child.addOpenCounts(counts);
        }
    }

    private synchronized void addOpenCounts(Map<Long, Long> counts) {
        for (HourSlot slot : open) {
            long c = slot.count();
            if (c > 0) {
                counts.merge(slot.hourStartMillis, c, Long::sum);
            }
        }
    }

    /** Every value ever accepted into the KPI: here and in every series. */
    synchronized long totalAcceptedCount() {
        long total = acceptedCount();
        for (KpiAccumulator child : children) {
            total += child.openCount();
        }
        return total;
    }

    private synchronized long openCount() {
        long total = 0;
        for (HourSlot slot : open) {
            total += slot.count();
        }
        return total;
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
