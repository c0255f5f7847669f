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
 */
public record DomainStatus(String domain, Scores scores, List<KpiReading> kpis, Double trend, int alerts) {

    public DomainStatus {
        kpis = List.copyOf(kpis);
    }
}
