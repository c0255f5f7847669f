package dev.grace.plugins.temporal;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.util.List;

/** A plugin that publishes what the test tells it to, and lends the test its view of the runtime. */
final class SeriesPlugin implements DomainPlugin {

    static final Kpi LOAD = Kpi.builder("load", Kpi.Unit.COUNT).build();
    static final Kpi SHARE = Kpi.builder("share", Kpi.Unit.RATIO).build();

    volatile PluginContext context;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("series").domain("series").version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LOAD, SHARE);
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }

    void publish(Kpi kpi, double value) {
        if (!context.publisher().record(kpi, value)) {
            throw new AssertionError("rejected " + kpi.name() + " = " + value);
        }
    }
}
