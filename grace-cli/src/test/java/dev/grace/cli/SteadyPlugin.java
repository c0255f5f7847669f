package dev.grace.cli;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import java.util.List;

/**
 * A test plugin for the cognition commands: the test has it publish a health-bearing ratio, hour by
 * hour, so the scores have a known shape. Not in META-INF/services: only the tests that build a
 * runtime with it see it.
 */
public final class SteadyPlugin implements DomainPlugin {

    // No target: health is the ratio itself, so the tables show the published figures (a target is honoured
    // since issue 16 and would turn 0.98 into 1.00; ScorerTest pins that).
    static final Kpi SUCCESS = Kpi.builder("success_ratio", Kpi.Unit.RATIO).higherIsBetter().healthBearing()
            .range(0, 1).build();

    private volatile MetricPublisher publisher;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("steady").domain("steady").version("1.0.0").description("a known score shape").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(SUCCESS);
    }

    @Override
    public void start(PluginContext context) {
        publisher = context.publisher();
    }

    /** Publishes {@code value} {@code times} times at the runtime clock's current time. */
    void record(double value, int times) {
        for (int i = 0; i < times; i++) {
            publisher.record(SUCCESS, value);
        }
    }
}
