package dev.grace.benchmarks;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import java.util.List;

/**
 * One domain's plugin as a host declares it with {@code GraceRuntime.builder().plugin(...)}: five
 * KPIs, one of each kind cognition treats differently, so that scoring a domain walks every rule of
 * {@code Scorer} (docs/cognition.md, "Normalising a KPI").
 */
final class HostPlugin implements DomainPlugin {

    /** Ratio, higher is better: normalised as is. */
    static final Kpi ACCURACY = Kpi.builder("accuracy", Kpi.Unit.RATIO).healthBearing().build();
    /** Ratio, lower is better: normalised as 1 − m. */
    static final Kpi ERROR_RATE = Kpi.builder("error_rate", Kpi.Unit.RATIO).lowerIsBetter().healthBearing().build();
    /** Lower is better with a target: 1 at or under it, else t / m. */
    static final Kpi RESPONSE_TIME = Kpi.builder("response_time", Kpi.Unit.MILLISECONDS).lowerIsBetter()
            .target(200).healthBearing().build();
    /** Higher is better with a target: min(1, m / t). */
    static final Kpi THROUGHPUT = Kpi.builder("throughput", Kpi.Unit.PER_HOUR).target(60).healthBearing().build();
    /** Not health-bearing: counts toward trust's accepted values only. */
    static final Kpi EVENTS = Kpi.builder("events", Kpi.Unit.COUNT).build();

    static final List<Kpi> KPIS = List.of(ACCURACY, ERROR_RATE, RESPONSE_TIME, THROUGHPUT, EVENTS);

    private final String domain;
    volatile PluginContext context;

    HostPlugin(String domain) {
        this.domain = domain;
    }

    String domain() {
        return domain;
    }

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("host-" + domain).domain(domain).version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return KPIS;
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }
}
