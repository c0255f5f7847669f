package dev.grace.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the hourly rollups the runtime holds in memory: the open hours that values may
 * still reach, and recently closed ones. Per (domain, KPI, hour), merged across the plugins of a
 * domain. The store and the cognition scores are built on this.
 */
public interface Rollups {

    /** Every hour held, ordered by hour, then domain, then KPI. */
    List<HourlyRollup> all();

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
}
