package dev.grace.runtime.cognition;

import java.util.List;

/**
 * One domain's state in one hour.
 *
 * @param domain the domain
 * @param scores its health, trust and confidence (null members in a gap)
 * @param kpis   every declared KPI with its hour's figures
 * @param trend  health minus the mean health of the previous 24 hours that have one; null when unknown
 * @param alerts alerts about this domain in the last 24 hours
 * @param flags  the guard's active flags on the domain's KPIs
 */
public record DomainStatus(String domain, Scores scores, List<KpiReading> kpis, Double trend, int alerts,
                           List<KpiFlag> flags) {

    public DomainStatus {
        kpis = List.copyOf(kpis);
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    /** A domain without flags. */
    public DomainStatus(String domain, Scores scores, List<KpiReading> kpis, Double trend, int alerts) {
        this(domain, scores, kpis, trend, alerts, List.of());
    }
}
