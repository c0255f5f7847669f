package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.RejectReason;
import dev.grace.runtime.RejectionListener;
import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.Stripes;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plugin's {@link MetricPublisher}: validates every value, aggregates accepted ones into the hour
 * in place, hands raw events to the store without waiting, and counts every rejection by reason.
 *
 * <p>{@link #record(Kpi, double)} reads no clock and takes no shared lock: an identity lookup, one
 * range check that also rejects NaN and infinities, and an add into the calling thread's stripe of
 * the current hour. Nothing here throws into the plugin: a failure inside Grace itself is logged,
 * counted as a rejection and swallowed.
 */
public final class SafePublisher implements MetricPublisher {

    private final String pluginId;
    private final KpiTable table;
    private final RejectCounters rejections;
    private final Clock clock;
    private final long latenessMillis;
    private final RawEventRing raw;
    /** This plugin's bounded part of the raw-event ring; shared with the publisher it replaces. */
    private final RawEventRing.Share rawShare;
    private final RejectionListener listener;
    private volatile boolean closed;

    /**
     * @param minute   the coarse minute that rate-limits rejection warnings
     * @param raw      the raw-event pump, or null when raw events are off
     * @param listener told of rejections, or null
     */
    public SafePublisher(String pluginId, List<KpiAccumulator> accumulators, Clock clock, MinuteMark minute,
                         long latenessMillis, RawEventPump raw, RejectionListener listener) {
        this(pluginId, accumulators, clock, minute, latenessMillis, raw, listener, null);
    }

    /**
     * A publisher that goes on counting into {@code previous}'s rejection counters: a restarted
     * plugin's totals keep growing instead of starting again from zero.
     */
    public SafePublisher(String pluginId, List<KpiAccumulator> accumulators, Clock clock, MinuteMark minute,
                         long latenessMillis, RawEventPump raw, RejectionListener listener, SafePublisher previous) {
        this.pluginId = pluginId;
        this.table = new KpiTable(accumulators);
        this.rejections = previous != null ? previous.rejections : new RejectCounters(pluginId, minute);
        this.clock = clock;
        this.latenessMillis = latenessMillis;
        this.raw = raw == null ? null : raw.ring();
        this.rawShare = raw == null ? null : previous != null && previous.rawShare != null ? previous.rawShare : raw.newShare();
        this.listener = listener;
    }

    @Override
    public boolean record(Kpi kpi, double value) {
        KpiAccumulator acc = table.get(kpi);
        if (acc == null) {
            return reject(RejectReason.UNKNOWN_KPI, kpi == null ? "null" : kpi.name(), value);
        }
        return recordOn(acc, value);
    }

    /**
     * Binds a series: the KPI's own accumulator for an empty set, else the series' accumulator
     * (new, existing, or the overflow series); a rejecting series for an undeclared KPI or key or a
     * disallowed value. Never throws.
     */
    @Override
    public Kpi.Series series(Kpi kpi, Map<String, String> attributes) {
        try {
            KpiAccumulator acc = table.get(kpi);
            if (acc == null) {
                return new RejectingSeries(this, kpi, attributes, RejectReason.UNKNOWN_KPI);
            }
            Object resolved = resolve(acc, attributes);
            if (resolved instanceof RejectReason reason) {
                return new RejectingSeries(this, kpi, attributes, reason);
            }
            KpiAccumulator series = (KpiAccumulator) resolved;
            return new BoundSeries(this, series, series == acc ? Map.of()
                    : series.isOverflow() ? checkedCopy(attributes) : series.attributes());
        } catch (RuntimeException | LinkageError e) {
            // a map that throws while read, or a failure inside Grace: every value will be refused and counted
            return new RejectingSeries(this, kpi, Map.of(), RejectReason.UNKNOWN_ATTRIBUTE);
        }
    }

    /** The two-attribute bind; the same key twice is refused (and counted) as {@link RejectReason#UNKNOWN_ATTRIBUTE}. */
    @Override
    public Kpi.Series series(Kpi kpi, String k1, String v1, String k2, String v2) {
        Map<String, String> attributes = new HashMap<>(4);
        attributes.put(k1, v1);
        if (attributes.put(k2, v2) != null) {
            attributes.put(k2, v1 + "|" + v2);
            return new RejectingSeries(this, kpi, attributes, RejectReason.UNKNOWN_ATTRIBUTE);
        }
        return series(kpi, attributes);
    }

    /**
     * Records into the series with this attribute set. A set bound before (or overflowed before,
     * up to the KPI's bound) is one hash lookup with the caller's map's {@code hashCode} and
     * {@code equals} and then {@link #recordOn}; a new set is bound first, as {@link #series} does.
     */
    @Override
    public boolean record(Kpi kpi, Map<String, String> attributes, double value) {
        KpiAccumulator acc = table.get(kpi);
        if (acc == null) {
            return reject(RejectReason.UNKNOWN_KPI, kpi == null ? "null" : kpi.name(), value);
        }
        if (attributes == null) {
            return recordOn(acc, value);
        }
        KpiAccumulator series;
        try {
            series = attributes.isEmpty() ? acc : acc.boundSeries(attributes);
        } catch (RuntimeException hostileMap) {
            series = null;
        }
        if (series != null) {
            return recordOn(series, value);
        }
        return series(kpi, attributes).record(value);
    }

    /**
     * Publishes into a series by KPI name, with a time and metadata: the HTTP update's form.
     *
     * @param attributes the series' attributes; null or empty for the KPI without attributes
     */
    public boolean publish(String kpi, Map<String, String> attributes, double value, Instant eventTime,
                           Map<String, String> metadata) {
        KpiAccumulator acc = table.get(kpi);
        if (acc == null || attributes == null || attributes.isEmpty()) {
            return accept(acc, kpi, value, eventTime, metadata);
        }
        Object resolved;
        try {
            resolved = resolve(acc, attributes);
        } catch (RuntimeException | LinkageError e) {
            resolved = RejectReason.UNKNOWN_ATTRIBUTE;
        }
        if (resolved instanceof RejectReason reason) {
            return reject(reason, RejectingSeries.label(acc.kpi(), attributes), value);
        }
        return accept((KpiAccumulator) resolved, kpi, value, eventTime, metadata);
    }

    /**
     * The accumulator for {@code attributes} on {@code acc}'s KPI (acc itself for none), or why
     * there is none. Binds a new set, under the KPI's series bound. Throws only when the caller's
     * map does.
     */
    private static Object resolve(KpiAccumulator acc, Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return acc;
        }
        KpiAccumulator bound = acc.boundSeries(attributes);
        if (bound != null) {
            return bound;
        }
        Kpi kpi = acc.kpi();
        // judged on a copy, as metadata is: the caller's map may change while it is read
        Map<String, String> copy = new HashMap<>(attributes);
        if (copy.size() > kpi.attributes().size()) {
            return RejectReason.UNKNOWN_ATTRIBUTE;
        }
        for (String key : copy.keySet()) {
            if (key == null || kpi.attribute(key) == null) {
                return RejectReason.UNKNOWN_ATTRIBUTE;
            }
        }
        for (Map.Entry<String, String> e : copy.entrySet()) {
            String v = e.getValue();
            if (v == null || !kpi.attribute(e.getKey()).allows(v)) {
                return RejectReason.ATTRIBUTE_VALUE_NOT_ALLOWED;
            }
        }
        return acc.series(checkedCopy(copy));
    }

    /** A sorted immutable copy of a set already accepted by {@link #resolve}. */
    private static Map<String, String> checkedCopy(Map<String, String> attributes) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    /**
     * Records a value measured now into one accumulator (a KPI's own or one of its series): the
     * hot path behind {@link #record(Kpi, double)} and {@link Kpi.Series#record(double)}.
     */
    boolean recordOn(KpiAccumulator acc, double value) {
        if (!acc.inRange(value)) {
            return reject(valueReason(acc.kpi(), value), acc.kpi().name(), value);
        }
        if (closed) { // a plain load on x86: a stopped or quarantined plugin's stray thread is refused
            return reject(RejectReason.CLOSED, acc.kpi().name(), value);
        }
        if (raw == null) {
            return acc.addNow(value) || reject(RejectReason.CLOSED, acc.kpi().name(), value);
        }
        // One thread-local read for both: the ring writes the lane of the stripe the rollup add ended on.
        int[] probe = Stripes.probe();
        if (!acc.addNow(value, probe)) {
            return reject(RejectReason.CLOSED, acc.kpi().name(), value);
        }
        // Stamped only once a slot is claimed: a refused raw event needs no time stamp, and the clock
        // costs more than the rollup, so when the ring is full (a flood) a refusal stays cheaper than
        // an accepted offer.
        if (!raw.offerNow(rawShare, acc, value, clock, probe)) {
            rejections.countRawDropped();
        }
        return true;
    }

    @Override
    public boolean record(Kpi kpi, double value, Instant eventTime, Map<String, String> metadata) {
        KpiAccumulator acc = table.get(kpi);
        return accept(acc, acc == null ? (kpi == null ? "null" : kpi.name()) : null, value, eventTime, metadata);
    }

    @Override
    public boolean publish(String kpi, double value, Instant eventTime, Map<String, String> metadata) {
        return accept(table.get(kpi), kpi, value, eventTime, metadata);
    }

    private boolean accept(KpiAccumulator acc, String givenName, double value, Instant eventTime,
                           Map<String, String> metadata) {
        if (acc == null) {
            return reject(RejectReason.UNKNOWN_KPI, String.valueOf(givenName), value);
        }
        String name = acc.kpi().name();
        if (closed) {
            return reject(RejectReason.CLOSED, name, value);
        }
        if (!acc.inRange(value)) {
            return reject(valueReason(acc.kpi(), value), name, value);
        }
        Map<String, String> meta;
        try {
            meta = checkedMetadata(metadata);
        } catch (RuntimeException concurrentlyModifiedOrHostile) {
            meta = null;
        }
        if (meta == null) {
            return reject(RejectReason.METADATA_TOO_LARGE, name, value);
        }
        // A clock read costs more than the aggregation: only an explicit time (to check it) or a raw
        // event (to stamp it) needs one.
        long now = eventTime != null || raw != null ? clock.millis() : 0L;
        long at = now;
        if (eventTime != null) {
            try {
                at = eventTime.toEpochMilli();
            } catch (ArithmeticException outsideEpochMillis) {
                return reject(eventTime.isAfter(Instant.EPOCH) ? RejectReason.FUTURE_TIMESTAMP : RejectReason.TOO_LATE,
                        name, value);
            }
            if (at > now) {
                return reject(RejectReason.FUTURE_TIMESTAMP, name, value);
            }
            if (at < now - latenessMillis) {
                return reject(RejectReason.TOO_LATE, name, value);
            }
        }
        boolean added = eventTime == null ? acc.addNow(value) : acc.addAt(at, value);
        if (!added) {
            return reject(closed ? RejectReason.CLOSED : RejectReason.TOO_LATE, name, value);
        }
        if (raw != null) {
            offerRaw(acc, value, at, meta.isEmpty() ? null : meta);
        }
        return true;
    }

    private void offerRaw(KpiAccumulator acc, double value, long at, Map<String, String> meta) {
        if (!raw.offer(rawShare, acc, value, at, meta)) {
            rejections.countRawDropped();
        }
    }

    /**
     * An immutable copy within the limits; empty for none; null when over a limit. The limits are
     * checked on the copy, the map that is kept: the caller's map may change after any read of it
     * (another thread, a hostile {@code entrySet}), and only the copy cannot.
     *
     * @throws RuntimeException when the caller's map throws while it is copied (null keys or
     *                          values, a concurrent modification); the caller rejects the value
     */
    private static Map<String, String> checkedMetadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        if (metadata.size() > MAX_METADATA_KEYS) {
            return null; // cheap early refusal; the copy is checked again below
        }
        Map<String, String> copy = Map.copyOf(metadata);
        if (copy.size() > MAX_METADATA_KEYS) {
            return null;
        }
        for (Map.Entry<String, String> e : copy.entrySet()) {
            String k = e.getKey();
            if (k.isEmpty() || k.length() > MAX_METADATA_KEY_LENGTH || e.getValue().length() > MAX_METADATA_VALUE_LENGTH) {
                return null;
            }
        }
        return copy;
    }

    /** Why a value outside the accumulator's range was refused; off the hot path. */
    private static RejectReason valueReason(Kpi kpi, double value) {
        if (Double.isNaN(value)) {
            return RejectReason.NOT_A_NUMBER;
        }
        if (Double.isInfinite(value)) {
            return RejectReason.INFINITE;
        }
        return kpi.accepts(value) ? RejectReason.MAGNITUDE_TOO_LARGE : RejectReason.OUT_OF_RANGE;
    }

    boolean reject(RejectReason reason, String kpi, double value) {
        try {
            rejections.count(reason, kpi, value);
            if (listener != null) {
                listener.rejected(pluginId, kpi, value, reason);
            }
        } catch (RuntimeException | LinkageError swallowed) {
            // never into the plugin; the count above is what matters and it happened first
        }
        return false;
    }

    /** Refuses everything from now on. The accumulators are closed separately, by the runtime. */
    public void close() {
        closed = true;
    }

    public String pluginId() {
        return pluginId;
    }

    public RejectCounters rejections() {
        return rejections;
    }
}
