package dev.grace.runtime.store;

import java.time.Instant;
import java.util.List;

/** Reads stored rollups, merged across every node that wrote them. */
@FunctionalInterface
public interface RollupQuery {

    /**
     * One KPI's rollups per period, for periods starting at or after the start of the period that
     * contains {@code since}, oldest first.
     */
    List<PeriodRollup> rollups(String domain, String kpi, Period period, Instant since);
}
