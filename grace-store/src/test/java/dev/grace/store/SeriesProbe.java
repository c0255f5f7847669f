package dev.grace.store;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.util.List;

/** A plugin whose KPI has attributes, handing its publisher to the test (as {@link Probe} does). */
final class SeriesProbe implements DomainPlugin {

    /** Two keys, at most four series per domain: a fifth attribute set goes to the overflow series. */
    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter().range(0, 1_000)
            .attribute("connector").attribute("region", "eu", "us").maxSeries(4).build();

    private final String id;
    private final String domain;
    private volatile PluginContext context;

    SeriesProbe(String id, String domain) {
        this.id = id;
        this.domain = domain;
    }

    @Override
    public PluginInfo info() {
        return PluginInfo.builder(id).domain(domain).version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LATENCY);
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }

    MetricPublisher publisher() {
        return context.publisher();
    }

    /** The series of {@code connector} in {@code region}. */
    Kpi.Series series(String connector, String region) {
        return publisher().series(LATENCY, "connector", connector, "region", region);
    }
}
