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

    /** The same latency with a connector attribute: what a bound series and a by-map record write to. */
    static final Kpi LATENCY_BY_CONNECTOR = Kpi.builder(RecordBenchmark.KPI_NAME + "_by_connector", Kpi.Unit.MILLISECONDS)
            .lowerIsBetter().attribute("connector").build();

    volatile PluginContext context;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("bench").domain("bench").version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LATENCY, LATENCY_BY_CONNECTOR);
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }
}
