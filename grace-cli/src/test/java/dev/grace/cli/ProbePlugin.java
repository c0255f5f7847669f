package dev.grace.cli;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import java.util.List;

/** A test plugin that publishes a known set of values on start: three accepted, two rejected. */
public final class ProbePlugin implements DomainPlugin {

    static final Kpi LATENCY = Kpi.builder("latency_ms", Kpi.Unit.MILLISECONDS).lowerIsBetter().build();
    static final Kpi HITS = Kpi.builder("hits", Kpi.Unit.COUNT).build();

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("probe").domain("testing").version("1.0.0").description("publishes on start").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LATENCY, HITS);
    }

    @Override
    public void start(PluginContext context) {
        MetricPublisher publisher = context.publisher();
        publisher.record(LATENCY, 10);
        publisher.record(LATENCY, 20);
        publisher.record(LATENCY, 30);
        publisher.record(LATENCY, Double.NaN);
        publisher.publish("not_declared", 1);
    }
}
