package dev.grace.store;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.util.List;

/** A plugin that hands its publisher to the test, and a clock the test moves. */
class Probe implements DomainPlugin {

    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter().range(0, 1_000).build();

    private final String id;
    private final String domain;
    private final Kpi kpi;
    private volatile PluginContext context;

    Probe(String id, String domain) {
        this(id, domain, LATENCY);
    }

    /** A probe declaring {@code kpi} instead of {@link #LATENCY}. */
    Probe(String id, String domain, Kpi kpi) {
        this.id = id;
        this.domain = domain;
        this.kpi = kpi;
    }

    @Override
    public PluginInfo info() {
        return PluginInfo.builder(id).domain(domain).version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(kpi);
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }

    MetricPublisher publisher() {
        return context.publisher();
    }
}
