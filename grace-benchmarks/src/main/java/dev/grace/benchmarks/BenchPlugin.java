package dev.grace.benchmarks;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import java.util.List;

/** The smallest plugin that publishes: one KPI, and the context it is started with. */
public final class BenchPlugin implements DomainPlugin {

    /** What every library records: a latency in milliseconds, like {@link ValueStream}'s values. */
    static final Kpi LATENCY = Kpi.builder(RecordBenchmark.KPI_NAME, Kpi.Unit.MILLISECONDS).lowerIsBetter().build();

    volatile PluginContext context;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("bench").domain("bench").version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LATENCY);
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }
}
