package dev.grace.api;

import java.util.List;

/**
 * A domain plugin: the service interface that the Grace runtime discovers with
 * {@link java.util.ServiceLoader}.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.grace.api.DomainPlugin}. It needs a
 * public no-argument constructor; anything else it needs arrives in {@link #start(PluginContext)},
 * or through {@code @jakarta.inject.Inject} fields and methods (the runtime injects the
 * {@link MetricPublisher}, {@link PluginContext}, {@link PluginConfig}, {@link java.time.Clock} and
 * the plugin's {@link java.util.concurrent.ScheduledExecutorService}) before {@code start} is called.
 *
 * <p>The runtime calls {@link #info()} and {@link #kpis()} once, right after construction, and never
 * calls {@code start} on a plugin whose declarations it refuses. {@code start} and {@code stop} run
 * on the plugin's own thread with a timeout; a plugin that throws or hangs ends in the FAILED state
 * without affecting other plugins.
 */
public interface DomainPlugin {

    /** Who this plugin is: id, domain, version and the grace-api versions it works with. */
    PluginInfo info();

    /**
     * The KPIs this plugin publishes. Only declared KPIs are accepted by its publisher. Called once;
     * the list is copied.
     */
    List<Kpi> kpis();

    /**
     * Starts the plugin. Return promptly: long-running work belongs on
     * {@link PluginContext#scheduler()}, which the runtime shuts down when the plugin stops.
     *
     * @throws Exception any failure; the plugin then ends FAILED with this cause
     */
    void start(PluginContext context) throws Exception;

    /**
     * Stops the plugin and releases what it holds. The plugin's scheduler is shut down by the
     * runtime after this returns. The default does nothing.
     *
     * @throws Exception any failure; it is recorded and the runtime goes on
     */
    default void stop() throws Exception {
    }

    /**
     * Whether the plugin is doing its work. The runtime polls it while the plugin runs (on the
     * plugin's thread, with the start timeout); an unhealthy answer, a throw or a hang restarts the
     * plugin with backoff, and quarantines it after too many restarts. The default is healthy.
     */
    default PluginHealth health() {
        return PluginHealth.ok();
    }
}
