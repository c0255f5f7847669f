package dev.grace.runtime;

import java.util.Map;

/**
 * One accepted value as it was published, handed to a {@link RawEventSink}.
 *
 * @param pluginId    the publishing plugin
 * @param domain      its domain
 * @param kpi         the KPI's name
 * @param value       the value
 * @param epochMillis the event time (the time of publishing unless the plugin gave one)
 * @param metadata    the metadata, empty when none
 */
public record RawEvent(String pluginId, String domain, String kpi, double value, long epochMillis,
                       Map<String, String> metadata) {
}
