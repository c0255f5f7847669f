package dev.grace.plugins.parliament;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginHealth;
import dev.grace.api.PluginInfo;

import java.time.Instant;
import java.util.List;

/** A plugin a test hands the runtime: it publishes when told and is unhealthy when told, so the supervisor restarts it. */
final class HostPlugin implements DomainPlugin {

    static final Kpi BEATS = Kpi.builder("beats", Kpi.Unit.COUNT).build();

    private final String id;
    volatile boolean unhealthy;
    /** When set, {@code start} throws this. */
    volatile String startFailure;
    private volatile MetricPublisher publisher;
    int starts;

    HostPlugin(String id) {
        this.id = id;
    }

    @Override
    public PluginInfo info() {
        return PluginInfo.builder(id).domain("host_" + id.replace('-', '_')).version("1.0.0").apiRange("[0.1,1)").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(BEATS);
    }

    @Override
    public void start(PluginContext context) {
        if (startFailure != null) {
            throw new IllegalStateException(startFailure);
        }
        publisher = context.publisher();
        starts++;
    }

    @Override
    public PluginHealth health() {
        return unhealthy ? PluginHealth.unhealthy("told to be") : PluginHealth.ok();
    }

    boolean publish(double value, Instant at) {
        return publisher.record(BEATS, value, at, null);
    }
}
