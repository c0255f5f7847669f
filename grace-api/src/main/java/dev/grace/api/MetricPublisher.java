package dev.grace.api;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The only way a plugin emits data. Every publisher is scoped to its plugin's domain and accepts
 * only the KPIs that plugin declared.
 *
 * <p>No method ever throws into the caller or blocks it. A value that cannot be accepted — an
 * undeclared KPI, NaN or an infinity, a value outside the KPI's range, oversized metadata, a
 * timestamp ahead of the clock or older than the lateness limit, or a publisher whose runtime has
 * closed — is rejected, and every rejection is counted per plugin and per {@link RejectReason}.
 * The boolean results say whether the value was accepted, for plugins that want to react.
 *
 * <p>{@link #record(Kpi, double)} is the hot path: it costs a few tens of nanoseconds and allocates
 * nothing. The name-based and metadata forms are for convenience and cost more.
 *
 * <p><b>Series.</b> For a KPI that declares attributes ({@link Kpi.Builder#attribute(String)}),
 * bind a series once and record on it: {@code Kpi.Series s = publisher.series(LATENCY, "connector",
 * "billing"); ... s.record(0.12);} costs what {@link #record(Kpi, double)} costs. Binding never
 * throws: an undeclared key ({@link RejectReason#UNKNOWN_ATTRIBUTE}) or a disallowed value
 * ({@link RejectReason#ATTRIBUTE_VALUE_NOT_ALLOWED}) gives a series that rejects and counts every
 * value; a new series past the KPI's {@link Kpi#maxSeries()} gives the KPI's overflow series, whose
 * values are accepted and counted as overflow. {@link #record(Kpi, Map, double)} looks the series
 * up on every call, for convenience.
 */
public interface MetricPublisher {

    /** Metadata limits: at most this many keys per event. */
    int MAX_METADATA_KEYS = 8;
    /** Metadata limits: at most this many characters per key. */
    int MAX_METADATA_KEY_LENGTH = 64;
    /** Metadata limits: at most this many characters per value. */
    int MAX_METADATA_VALUE_LENGTH = 256;
    /**
     * The largest magnitude a value may have, whatever the KPI's declared range: {@code 1e130}. A
     * finite value beyond it is rejected with {@link RejectReason#MAGNITUDE_TOO_LARGE}. At or below
     * it, the sum and the sum of squares of any number of values a {@code long} can count stay
     * finite, in an hour and in every day, week and node merged from hours, so an accepted value is
     * counted the same in the count, sum, mean, standard deviation, quantiles and raw events.
     */
    double MAX_MAGNITUDE = 1e130;

    /** A publisher that accepts nothing and counts nothing, for code that runs without a runtime. */
    MetricPublisher NOOP = new MetricPublisher() {
        @Override
        public boolean record(Kpi kpi, double value) {
            return false;
        }

        @Override
        public boolean record(Kpi kpi, double value, @Nullable Instant eventTime,
                              @Nullable Map<String, String> metadata) {
            return false;
        }

        @Override
        public boolean publish(String kpi, double value, @Nullable Instant eventTime,
                               @Nullable Map<String, String> metadata) {
            return false;
        }
    };

    /**
     * Binds the series of {@code kpi} with one attribute. Never throws; see {@link #series(Kpi, Map)}.
     * The default, for publishers without series, returns a series that accepts nothing.
     */
    default Kpi.Series series(Kpi kpi, String key, String value) {
        return series(kpi, java.util.Collections.singletonMap(key, value));
    }

    /** Binds the series of {@code kpi} with two attributes. Never throws; see {@link #series(Kpi, Map)}. */
    default Kpi.Series series(Kpi kpi, String k1, String v1, String k2, String v2) {
        Map<String, String> attributes = new java.util.HashMap<>(4);
        attributes.put(k1, v1);
        if (attributes.put(k2, v2) != null) {
            // the same key twice is not an attribute set: refuse rather than keep one of the two
            return Kpi.Series.rejecting(kpi, attributes);
        }
        return series(kpi, attributes);
    }

    /**
     * Binds the series of {@code kpi} with this attribute set (any subset of the declared keys; an
     * empty set binds the KPI's total). Binding may allocate; recording on the result does not.
     * Never throws: an undeclared KPI or key, or a value the key does not allow, gives a series that
     * rejects and counts every value recorded on it; a new set past {@link Kpi#maxSeries()} gives
     * the KPI's overflow series. Bind once (a field, a map of your connectors) and record many times.
     *
     * <p>The default, for publishers without series, returns a series that accepts nothing.
     */
    default Kpi.Series series(Kpi kpi, Map<String, String> attributes) {
        return Kpi.Series.rejecting(kpi, attributes);
    }

    /**
     * Records a value measured now into the series of {@code kpi} with this attribute set, looking
     * the series up on each call: for convenience, where binding once is awkward. Costs a map
     * lookup more than {@link Kpi.Series#record(double)}; binds the series the first time.
     * The default binds through {@link #series(Kpi, Map)} every time.
     *
     * @return whether the value was accepted
     */
    default boolean record(Kpi kpi, Map<String, String> attributes, double value) {
        return series(kpi, attributes).record(value);
    }

    /**
     * Records a value measured now, through a declared KPI constant. The hot path: no allocation,
     * no lock shared with other threads.
     *
     * @return whether the value was accepted
     */
    boolean record(Kpi kpi, double value);

    /**
     * Records a value measured at {@code eventTime} (null means now), with optional metadata (null
     * or empty means none).
     *
     * @return whether the value was accepted
     */
    boolean record(Kpi kpi, double value, @Nullable Instant eventTime, @Nullable Map<String, String> metadata);

    /**
     * Publishes a value for the KPI with this name, measured at {@code eventTime} (null means now),
     * with optional metadata (null or empty means none).
     *
     * @return whether the value was accepted
     */
    boolean publish(String kpi, double value, @Nullable Instant eventTime, @Nullable Map<String, String> metadata);

    /** Publishes a value measured now for the KPI with this name. */
    default boolean publish(String kpi, double value) {
        return publish(kpi, value, null, null);
    }

    /** Publishes a value measured now for the KPI with this name, with metadata. */
    default boolean publish(String kpi, double value, Map<String, String> metadata) {
        return publish(kpi, value, null, metadata);
    }

    /** Publishes a value measured earlier for the KPI with this name. */
    default boolean publish(String kpi, double value, Instant eventTime) {
        return publish(kpi, value, eventTime, null);
    }

    /**
     * Publishes several values; each is validated and counted on its own, so one bad value does not
     * reject the others.
     *
     * @return how many were accepted
     */
    default int publishAll(Collection<KpiValue> values) {
        int accepted = 0;
        for (KpiValue v : values) {
            if (v != null && publish(v.kpi(), v.value(), v.eventTime(), v.metadata())) {
                accepted++;
            }
        }
        return accepted;
    }
}
