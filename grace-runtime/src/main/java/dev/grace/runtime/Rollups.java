package dev.grace.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read access to the hourly rollups the runtime holds in memory: the open hours that values may
 * still reach, and recently closed ones. Per (domain, KPI, hour), merged across the plugins of a
 * domain. The store and the cognition scores are built on this.
 *
 * <p>Every method but the {@code ...WithSeries} and {@link #series} ones returns KPI totals only
 * ({@link HourlyRollup#isTotal()}): for a KPI with attributes, the total merged from its series'
 * sketches; for one without, its only rollup. Readers that know nothing of series so read what
 * they read before.
 */
public interface Rollups {

    /** Every KPI total of every hour held, ordered by hour, then domain, then KPI. */
    List<HourlyRollup> all();

    /**
     * Every hour held of every KPI total and of every series, ordered by hour, domain, KPI, then
     * series key (the total, {@code ""}, first). The default has no series: {@link #all()}.
     *
     * @since 0.1
     */
    default List<HourlyRollup> allWithSeries() {
        return all();
    }

    /**
     * The series rollups (not the total) held for one KPI, ordered by hour, then series key.
     *
     * @since 0.1
     */
    default List<HourlyRollup> series(String domain, String kpi) {
        return allWithSeries().stream()
                .filter(r -> !r.isTotal() && r.domain().equals(domain) && r.kpi().equals(kpi)).toList();
    }

    /**
     * {@link #hour(Instant)} with each KPI's series after its total: for readers that label series
     * ({@code /metrics}, the dashboard's drill-down). The default has no series.
     *
     * @since 0.1
     */
    default List<HourlyRollup> hourWithSeries(Instant hourStart) {
        return allWithSeries().stream().filter(r -> r.hourStart().equals(hourStart)).toList();
    }

    /** The hours held for one KPI, oldest first. */
    default List<HourlyRollup> of(String domain, String kpi) {
        return all().stream().filter(r -> r.domain().equals(domain) && r.kpi().equals(kpi)).toList();
    }

    /** One KPI's rollup for one hour, if it has values. */
    default Optional<HourlyRollup> hour(String domain, String kpi, Instant hourStart) {
        return of(domain, kpi).stream().filter(r -> r.hourStart().equals(hourStart)).findFirst();
    }

    /**
     * Every KPI's rollup for one hour, ordered by domain, then KPI: for readers of the current hour
     * (the dashboard, {@code /metrics}), which need not copy every hour held.
     */
    default List<HourlyRollup> hour(Instant hourStart) {
        return all().stream().filter(r -> r.hourStart().equals(hourStart)).toList();
    }

    /** The hour that {@code record} without a time currently writes to. */
    Instant currentHour();

    /**
     * Every value of one KPI accepted since the runtime started, across its plugins and every hour,
     * including hours no longer held in memory: a monotonic count, as a metrics library's counter
     * wants it. The default adds up the hours held.
     *
     * @since 0.1
     */
    default long acceptedCount(String domain, String kpi) {
        return of(domain, kpi).stream().mapToLong(HourlyRollup::count).sum();
    }

    /**
     * {@link #acceptedCount} of every KPI at once, keyed {@code domain + '/' + kpi}: for exporters
     * that read every KPI per collection, in one pass rather than one per KPI.
     *
     * @since 0.1
     */
    default Map<String, Long> acceptedCounts() {
        Map<String, Long> out = new TreeMap<>();
        all().forEach(r -> out.merge(r.domain() + '/' + r.kpi(), r.count(), Long::sum));
        return out;
    }
}
