package dev.grace.testkit;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginHealth;
import dev.grace.api.PluginInfo;

import java.time.Instant;
import java.util.List;

/**
 * A plugin a test hands the runtime beside the plugin under test: it publishes when told, fails its
 * start when told and reports itself unhealthy when told (so that the supervisor restarts it). For
 * testing plugins that watch or govern others, such as the reference {@code core} and
 * {@code parliament}. Its domain is {@code host_<id>}, its one KPI {@link #BEATS}.
 */
public final class ControlledPlugin implements DomainPlugin {

    /** A count it publishes when told. */
    public static final Kpi BEATS = Kpi.builder("beats", Kpi.Unit.COUNT).build();

    private final String id;
    private volatile boolean unhealthy;
    private volatile String startFailure;
    private volatile MetricPublisher publisher;
    private volatile int starts;

    public ControlledPlugin(String id) {
        this.id = id;
    }

    /** From the next health check on, reports itself unhealthy (or healthy again). */
    public void unhealthy(boolean unhealthy) {
        this.unhealthy = unhealthy;
    }

    /** Its next {@code start} throws an exception with this message. */
    public void failStartWith(String message) {
        this.startFailure = message;
    }

    /** How often it was started (restarts create a new context, not a new instance, here). */
    public int starts() {
        return starts;
    }

    /** Publishes {@code value} at {@code at} through its publisher; what the publisher answered. */
    public boolean publish(double value, Instant at) {
        return publisher.record(BEATS, value, at, null);
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
}
