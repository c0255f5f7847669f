package dev.grace.cognition;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.util.List;

/** A plugin with one health-bearing ratio that hands its publisher to the test. */
final class Scored implements DomainPlugin {

    static final Kpi SUCCESS = Kpi.builder("success", Kpi.Unit.RATIO).healthBearing()
            .description("share of the test's work that succeeded").build();

    private final String id;
    private final String domain;
    private final Kpi kpi;
    private volatile PluginContext context;

    Scored(String id, String domain) {
        this(id, domain, SUCCESS);
    }

    /** A plugin whose one KPI is {@code kpi}. */
    Scored(String id, String domain, Kpi kpi) {
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

    /** Publishes {@code value} {@code times} times. */
    void record(double value, int times) {
        for (int i = 0; i < times; i++) {
            publisher().record(kpi, value);
        }
    }
}
