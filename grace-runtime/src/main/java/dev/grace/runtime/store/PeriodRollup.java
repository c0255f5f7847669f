package dev.grace.runtime.store;

import dev.grace.runtime.HourlyRollup;

import java.time.Instant;

/**
 * One period of one KPI as stored, merged across every node that wrote it: count, mean, min, max,
 * population standard deviation and quantiles (within 1% relative error, from the merged sketch).
 * Statistics are NaN when the count is zero.
 *
 * @param nodes how many nodes' rows were merged
 */
public record PeriodRollup(String domain, String kpi, Period period, Instant start, long count, double sum,
                           double mean, double min, double max, double stddev, double p50, double p95,
                           double p99, int nodes) {

    /** The figures of a merged rollup (its hour field is the period's start). */
    public static PeriodRollup of(Period period, HourlyRollup merged, int nodes) {
        return new PeriodRollup(merged.domain(), merged.kpi(), period, merged.hourStart(), merged.count(),
                merged.sum(), merged.mean(), merged.min(), merged.max(), merged.stddev(), merged.quantile(0.5),
                merged.quantile(0.95), merged.quantile(0.99), nodes);
    }
}
