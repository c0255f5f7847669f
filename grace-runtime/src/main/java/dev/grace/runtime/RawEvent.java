package dev.grace.runtime;

import dev.grace.api.SeriesKey;

import java.util.Map;

/**
 * One accepted value as it was published, handed to a {@link RawEventSink}.
 *
 * @param pluginId    the publishing plugin
 * @param domain      its domain
 * @param kpi         the KPI's name
 * @param series      the series' canonical key ({@link SeriesKey}): {@code ""} for a value recorded
 *                    without attributes, {@code _overflow} for one recorded on the overflow series
 * @param value       the value
 * @param epochMillis the event time (the time of publishing unless the plugin gave one)
 * @param metadata    the metadata, empty when none
 */
public record RawEvent(String pluginId, String domain, String kpi, String series, double value, long epochMillis,
                       Map<String, String> metadata) {

    public RawEvent {
        series = series == null ? SeriesKey.TOTAL : series;
    }

    /** An event recorded without attributes (the form before series). */
    public RawEvent(String pluginId, String domain, String kpi, double value, long epochMillis,
                    Map<String, String> metadata) {
        this(pluginId, domain, kpi, SeriesKey.TOTAL, value, epochMillis, metadata);
    }
}
