package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.RejectReason;
import dev.grace.runtime.RejectionListener;
import dev.grace.runtime.internal.rollup.KpiAccumulator;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        if (!acc.inRange(value)) {
            return reject(valueReason(acc.kpi(), value), acc.kpi().name(), value);
        }
        if (closed) { // a plain load on x86: a stopped or quarantined plugin's stray thread is refused
            return reject(RejectReason.CLOSED, acc.kpi().name(), value);
        }
        if (raw == null) {
            return acc.addNow(value) || reject(RejectReason.CLOSED, acc.kpi().name(), value);
        }
        if (!acc.addNow(value)) {
            return reject(RejectReason.CLOSED, acc.kpi().name(), value);
        }
        // Stamped only once a slot is claimed: a refused raw event needs no time stamp, and the clock
        // costs more than the rollup, so when the ring is full (a flood) a refusal stays cheaper than
        // an accepted offer.
        if (!raw.offerNow(rawShare, acc, value, clock)) {
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

    private boolean reject(RejectReason reason, String kpi, double value) {
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
