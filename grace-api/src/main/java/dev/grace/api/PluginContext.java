package dev.grace.api;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the runtime gives a plugin when it starts. Each item can also be received by
 * {@code @jakarta.inject.Inject} on a field or method of the plugin.
 */
public interface PluginContext {

    /** The plugin's own declaration. */
    PluginInfo info();

    /** The publisher scoped to this plugin's domain and KPIs. */
    MetricPublisher publisher();

    /** This plugin's configuration section ({@code plugins.<id>} in the runtime's config). */
    PluginConfig config();

    /** The runtime's clock. Read time from it, never from {@code System}, so tests can control it. */
    Clock clock();

    /**
     * A scheduler owned by this plugin. Its threads run with the plugin's class loader as context
     * class loader and the plugin's id and domain in the logging MDC; a task that throws is logged
     * and counted. The runtime shuts it down just before calling {@code stop()}: no task starts
     * after that (scheduling one is refused), and a task already running is waited for.
     */
    ScheduledExecutorService scheduler();

    /** A directory of the plugin's own, created on demand under the runtime's data directory. */
    Path dataDirectory();

    /** A read-only view of the runtime: plugins, publishing totals, KPI history, benchmarks. */
    RuntimeView runtime();

    /** What a governing plugin may change in the runtime; every call is audited. */
    RuntimeActions actions();

    /** The logger name to use, {@code grace.plugin.<id>}, so operators can tune plugins' levels together. */
    String loggerName();
}
