package dev.grace.benchmarks;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A plugin with as many KPIs as a scale curve asks for. With {@code kinds} on, its KPIs cycle
 * through {@link HostPlugin}'s five kinds (ratio, lower-is-better ratio, target latency, target
 * throughput, plain count), so that cognition walks every scoring rule; otherwise every KPI is a
 * latency in milliseconds, like {@link BenchPlugin}'s.
 */
final class ScalePlugin implements DomainPlugin {

    private final String domain;
    private final List<Kpi> kpis;
    volatile PluginContext context;

    ScalePlugin(String domain, int kpis, boolean kinds) {
        this.domain = domain;
        List<Kpi> list = new ArrayList<>(kpis);
        for (int i = 0; i < kpis; i++) {
            list.add(kinds ? like(HostPlugin.KPIS.get(i % HostPlugin.KPIS.size()), i)
                    : Kpi.builder("latency_" + i, Kpi.Unit.MILLISECONDS).lowerIsBetter().build());
        }
        this.kpis = List.copyOf(list);
    }

    /** {@code kind} under the name {@code kind_i}. */
    private static Kpi like(Kpi kind, int i) {
        return new Kpi(kind.name() + "_" + i, kind.unit(), kind.direction(), kind.healthBearing(), kind.target(),
                kind.min(), kind.max(), kind.description(), kind.mayBeConstant());
    }

    String domain() {
        return domain;
    }

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("scale-" + domain).domain(domain).version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return kpis;
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }
}
