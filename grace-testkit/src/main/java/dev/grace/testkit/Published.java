package dev.grace.testkit;

import dev.grace.api.SeriesKey;

import java.time.Instant;
import java.util.Map;

/**
 * A value the plugin published and the runtime accepted.
 *
 * @param kpi      the KPI name
 * @param value    the value
 * @param time     its event time
 * @param metadata its metadata, empty when none
 * @param series   the series it was recorded on ({@link SeriesKey}): {@code ""} without attributes,
 *                 {@code _overflow} for the KPI's overflow series
 */
public record Published(String kpi, double value, Instant time, Map<String, String> metadata, String series) {

    public Published {
        series = series == null ? SeriesKey.TOTAL : series;
    }

    /** A value recorded without attributes. */
    public Published(String kpi, double value, Instant time, Map<String, String> metadata) {
        this(kpi, value, time, metadata, SeriesKey.TOTAL);
    }

    /** The series' attributes; empty without attributes and for the overflow series. */
    public Map<String, String> attributes() {
        return SeriesKey.parse(series);
    }
}
