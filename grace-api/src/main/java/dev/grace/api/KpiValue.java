package dev.grace.api;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * One value for {@link MetricPublisher#publishAll(java.util.Collection)}.
 *
 * @param kpi       the declared KPI's name
 * @param value     the measured value
 * @param eventTime when it was measured; null means now
 * @param metadata  optional context (null means none), within the publisher's metadata limits
 */
public record KpiValue(String kpi, double value, @Nullable Instant eventTime, @Nullable Map<String, String> metadata) {

    /** A value measured now, without metadata. */
    public static KpiValue of(String kpi, double value) {
        return new KpiValue(kpi, value, null, null);
    }

    /** A value measured at {@code eventTime}, without metadata. */
    public static KpiValue at(String kpi, double value, Instant eventTime) {
        return new KpiValue(kpi, value, eventTime, null);
    }
}
