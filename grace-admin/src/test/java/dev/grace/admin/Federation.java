package dev.grace.admin;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.util.List;

/**
 * A plugin of domain {@code federation} whose latency KPI has attributes ({@code connector}, any
 * value; {@code region}, eu or us) and a bound of three series, beside an attribute-less KPI.
 */
final class Federation implements DomainPlugin {

    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.MILLISECONDS).lowerIsBetter()
            .attribute("connector").attribute("region", "eu", "us").maxSeries(3).build();
    static final Kpi SYNCED = Kpi.builder("synced", Kpi.Unit.COUNT).build();

    volatile PluginContext context;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("federation").domain("federation").version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LATENCY, SYNCED);
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }

    MetricPublisher publisher() {
        return context.publisher();
    }

    /**
     * This hour: billing 100 and 300 ms (eu), crm 200 ms (eu) and 400 ms (us), then two sets past the
     * bound of three (erp, hr), 500 and 600 ms, into the overflow series; 700 ms without attributes
     * (in the total only); synced 5.
     */
    void publishSeries() {
        MetricPublisher p = publisher();
        p.series(LATENCY, "connector", "billing", "region", "eu").record(100);
        p.series(LATENCY, "connector", "billing", "region", "eu").record(300);
        p.series(LATENCY, "connector", "crm", "region", "eu").record(200);
        p.series(LATENCY, "connector", "crm", "region", "us").record(400);
        p.series(LATENCY, "connector", "erp").record(500);
        p.series(LATENCY, "connector", "hr").record(600);
        p.record(LATENCY, 700);
        p.record(SYNCED, 5);
    }
}
