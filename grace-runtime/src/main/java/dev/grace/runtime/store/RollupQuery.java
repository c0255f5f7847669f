package dev.grace.runtime.store;

import java.time.Instant;
import java.util.List;

/** Reads stored rollups, merged across every node that wrote them. */
@FunctionalInterface
public interface RollupQuery {

    /**
     * One KPI's total rollups per period (series {@code ""}), for periods starting at or after the
     * start of the period that contains {@code since}, oldest first.
     */
    List<PeriodRollup> rollups(String domain, String kpi, Period period, Instant since);

    /**
     * One KPI's rollups grouped by the value of one attribute key, per period, for periods starting
     * at or after the start of the period that contains {@code since}: for each value of {@code key}
     * one row per period, merged from every stored series that carries {@code key} with that value
     * (its {@code series} is {@code key=value}), and one row of the overflow series ({@code _overflow})
     * when values overflowed; ordered by period start, then series key. Series without {@code key}
     * and the total are not included. A reader that keeps no series returns an empty list.
     */
    default List<PeriodRollup> rollupsBy(String domain, String kpi, String key, Period period, Instant since) {
        return List.of();
    }
}
