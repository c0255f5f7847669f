package dev.grace.store;

import dev.grace.api.Kpi;

/** A {@link Probe} whose KPI has attributes. */
final class SeriesProbe extends Probe {

    /** Two keys, at most four series per domain: a fifth attribute set goes to the overflow series. */
    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter().range(0, 1_000)
            .attribute("connector").attribute("region", "eu", "us").maxSeries(4).build();

    SeriesProbe(String id, String domain) {
        super(id, domain, LATENCY);
    }

    /** The series of {@code connector} in {@code region}. */
    Kpi.Series series(String connector, String region) {
        return publisher().series(LATENCY, "connector", connector, "region", region);
    }
}
