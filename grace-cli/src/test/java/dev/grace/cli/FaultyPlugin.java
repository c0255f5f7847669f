package dev.grace.cli;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import java.util.List;

/** A test plugin whose start fails: the run goes on and reports it. */
public final class FaultyPlugin implements DomainPlugin {

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("faulty").domain("testing").version("0.0.1").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of();
    }

    @Override
    public void start(PluginContext context) {
        throw new IllegalStateException("cannot reach its data source");
    }
}
