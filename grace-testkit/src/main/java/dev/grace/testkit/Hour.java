package dev.grace.testkit;

import java.time.Instant;

/**
 * One KPI's figures for one hour, as a plugin test reads them from {@link PluginHarness#hour(String)}.
 *
 * @param kpi       the KPI's name
 * @param hourStart the start of the hour (UTC)
 * @param count     values accepted in the hour
 * @param mean      their mean; NaN when none
 * @param min       the smallest; NaN when none
 * @param max       the largest; NaN when none
 * @param p50       the median, within 1% relative error
 * @param p95       the 95th percentile, within 1% relative error
 * @param p99       the 99th percentile, within 1% relative error
 */
public record Hour(String kpi, Instant hourStart, long count, double mean, double min, double max, double p50,
                   double p95, double p99) {
}
