package dev.grace.testkit;

import java.time.Instant;
import java.util.Map;

/**
 * A value the plugin published and the runtime accepted.
 *
 * @param kpi      the KPI name
 * @param value    the value
 * @param time     its event time
 * @param metadata its metadata, empty when none
 */
public record Published(String kpi, double value, Instant time, Map<String, String> metadata) {
}
