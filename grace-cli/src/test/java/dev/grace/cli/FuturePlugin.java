package dev.grace.cli;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import java.util.List;

/** A test plugin built for a grace-api this runtime is not: refused at discovery, FAILED with a cause. */
public final class FuturePlugin implements DomainPlugin {

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("future").domain("testing").version("9.0.0").apiRange("[9,10)").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of();
    }

    @Override
    public void start(PluginContext context) {
        throw new AssertionError("a refused plugin is never started");
    }
}
