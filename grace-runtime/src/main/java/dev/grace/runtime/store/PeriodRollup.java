package dev.grace.runtime.store;

import dev.grace.api.SeriesKey;
import dev.grace.runtime.HourlyRollup;

import java.time.Instant;
import java.util.Map;

/**
 * One period of one series of one KPI as stored, merged across every node that wrote it: count,
 * mean, min, max, population standard deviation and quantiles (within 1% relative error, from the
 * merged sketch). Statistics are NaN when the count is zero.
 *
 * @param series the series' canonical key ({@link SeriesKey}): {@code ""} for the KPI's total
 * @param nodes  how many nodes' rows were merged
 */
public record PeriodRollup(String domain, String kpi, String series, Period period, Instant start, long count,
                           double sum, double mean, double min, double max, double stddev, double p50, double p95,
                           double p99, int nodes) {

    /** The figures of a merged rollup (its hour field is the period's start), under its own series key. */
    public static PeriodRollup of(Period period, HourlyRollup merged, int nodes) {
        return new PeriodRollup(merged.domain(), merged.kpi(), merged.series(), period, merged.hourStart(),
                merged.count(), merged.sum(), merged.mean(), merged.min(), merged.max(), merged.stddev(),
                merged.quantile(0.5), merged.quantile(0.95), merged.quantile(0.99), nodes);
    }

    /** Whether this is the KPI's total rather than one series. */
    public boolean isTotal() {
        return series.isEmpty();
    }

    /** The series' attributes, sorted by key; empty for the total and the overflow series. */
    public Map<String, String> attributes() {
        return SeriesKey.parse(series);
    }
}
