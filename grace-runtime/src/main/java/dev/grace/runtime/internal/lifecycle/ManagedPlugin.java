package dev.grace.runtime.internal.lifecycle;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginHealth;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.SchedulerFactory;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.internal.discovery.PluginDiscovery;
import dev.grace.runtime.internal.discovery.PluginSource;
import dev.grace.runtime.internal.isolation.PluginClassLoader;
import dev.grace.runtime.internal.publish.SafePublisher;
import dev.grace.runtime.internal.rollup.KpiAccumulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One plugin and everything the runtime keeps for it: where it came from, its declarations, its
 * state (with the cause when FAILED), its own lifecycle thread, scheduler and publisher.
 *
 * <p>Every call into plugin code goes through {@link #call}: on the plugin's lifecycle thread (its
 * class loader as context loader, its id in the MDC), bounded by a timeout, with any throwable —
 * including errors and a hang — turned into a FAILED state instead of reaching the runtime.
 */
public final class ManagedPlugin {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ManagedPlugin.class);

    private final PluginSource source;
    private final ExecutorService lifecycle;
    private volatile DomainPlugin plugin;
    private volatile PluginInfo info;
    private volatile List<Kpi> kpis = List.of();
    private volatile PluginState state = PluginState.DISCOVERED;
    private final java.time.Clock clock;
    /** When {@link #state} last changed, on the runtime's clock. */
    private volatile long stateSince;
    private volatile String cause;
    private volatile SafePublisher publisher;
    private volatile ScheduledExecutorService scheduler;
    /** Registered once, kept across restarts so that a restarted plugin adds to the same rollups. */
    private volatile List<KpiAccumulator> accumulators;
    private volatile int restarts;
    /** Whether this plugin has let go of its jar's loader; release() may run more than once. */
    private final java.util.concurrent.atomic.AtomicBoolean loaderReleased = new java.util.concurrent.atomic.AtomicBoolean();

    public ManagedPlugin(PluginSource source, java.time.Clock clock) {
        this.source = source;
        this.clock = clock;
        this.stateSince = clock.millis();
        this.lifecycle = Executors.newSingleThreadExecutor(
                new PluginThreads("grace-plugin-" + simpleName(source.provider()), source.loader(),
                        source.provider(), null));
    }

    /** A plugin that failed before it could even be listed, kept so people see why. */
    public static ManagedPlugin failedDiscovery(PluginDiscovery.Failure failure, java.time.Clock clock) {
        ManagedPlugin p = new ManagedPlugin(new PluginSource(failure.origin(), failure.what(),
                ManagedPlugin.class.getClassLoader(), () -> null), clock);
        p.lifecycle.shutdown();
        p.fail(failure.cause());
        return p;
    }

    /**
     * Constructs the plugin and reads its declarations.
     *
     * @return false when that failed (the plugin is then FAILED)
     */
    public boolean instantiate(Duration timeout) {
        String cause = construct(timeout);
        if (cause != null) {
            fail(cause);
            return false;
        }
        return true;
    }

    /** Constructs the plugin and reads its declarations; returns why that failed, or null. Changes no state on failure. */
    String construct(Duration timeout) {
        try {
            DomainPlugin p = call("construction", timeout, () -> source.factory().get());
            PluginInfo i = call("info()", timeout, p::info);
            List<Kpi> k = call("kpis()", timeout, p::kpis);
            if (i == null) {
                return "info() returned null";
            }
            if (k == null || k.stream().anyMatch(java.util.Objects::isNull)) {
                return "kpis() returned null or a null KPI";
            }
            this.plugin = p;
            this.info = i;
            this.kpis = List.copyOf(k);
            lifecycle.submit(() -> {
                org.slf4j.MDC.put(PluginThreads.MDC_PLUGIN_ID, i.id());
                org.slf4j.MDC.put(PluginThreads.MDC_PLUGIN_DOMAIN, i.domain());
            });
            return null;
        } catch (PluginCallException e) {
            return e.getMessage();
        }
    }

    /** Runs plugin code on the plugin's thread, within {@code timeout}. */
    <T> T call(String what, Duration timeout, Callable<T> body) throws PluginCallException {
        Future<T> f;
        try {
            f = lifecycle.submit(body);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new PluginCallException(what + " was not run: the plugin's thread is gone");
        }
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new PluginCallException(what + " did not return within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new PluginCallException(what + " threw " + describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new PluginCallException(what + " was interrupted");
        }
    }

    static String describe(Throwable t) {
        return PluginDiscovery.describe(t);
    }

    /**
     * Asks the running plugin whether it works: its scheduled tasks that threw since the last
     * look, then its own {@code health()}.
     *
     * @param seenFailures the scheduler's failure count at the last look
     * @return why it does not work, or null
     */
    public String problem(long seenFailures, Duration timeout) {
        long failed = failedTasks();
        if (failed > seenFailures) {
            long n = failed - seenFailures;
            return n + (n == 1 ? " scheduled task" : " scheduled tasks") + " threw";
        }
        try {
            DomainPlugin p = plugin;
            PluginHealth h = call("health()", timeout, p::health);
            if (h == null) {
                return "health() returned null";
            }
            return h.healthy() ? null : "unhealthy: " + h.reason();
        } catch (PluginCallException e) {
            return e.getMessage();
        }
    }

    /** How many of the plugin's scheduled tasks threw, when its scheduler counts them. */
    public long failedTasks() {
        return scheduler instanceof SchedulerFactory.TaskFailures f ? f.failedTasks() : 0;
    }

    /** Marks the plugin as waiting for a restart, after its old instance was stopped. */
    void restarting(String reason) {
        this.cause = reason;
        enter(PluginState.RESTARTING);
    }

    /** Marks the plugin as given up on, and releases its threads and loader. */
    public void quarantine(String reason) {
        this.cause = reason;
        enter(PluginState.QUARANTINED);
        release();
    }

    /** Counts one restart (a healing action). */
    void restarted() {
        restarts++;
    }

    List<KpiAccumulator> accumulators() {
        return accumulators;
    }

    void accumulators(List<KpiAccumulator> accs) {
        this.accumulators = List.copyOf(accs);
    }

    /** Marks the plugin FAILED with a one-line cause and closes its own class loader if it has one. */
    public void fail(String reason) {
        this.cause = reason;
        enter(PluginState.FAILED);
        if (publisher != null) {
            publisher.close();
        }
        release();
    }

    void state(PluginState s) {
        enter(s);
    }

    /** Leaves the plugin out ({@code plugins.enabled}): DISABLED with the reason, its loader let go. */
    void disable(String reason) {
        this.cause = reason;
        enter(PluginState.DISABLED);
        release();
    }

    private void enter(PluginState s) {
        if (state != s) {
            stateSince = clock.millis();
        }
        this.state = s;
    }

    /** When the plugin entered its current state, in epoch milliseconds of the runtime's clock. */
    public long stateSince() {
        return stateSince;
    }

    void attach(SafePublisher publisher, ScheduledExecutorService scheduler) {
        this.publisher = publisher;
        this.scheduler = scheduler;
    }

    /** Stops the plugin's threads and lets go of its jar's class loader, which closes when no plugin of the jar holds it. */
    void release() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        lifecycle.shutdownNow();
        letGoOfLoader();
    }

    private void letGoOfLoader() {
        PluginClassLoader own = source.ownLoader();
        if (own == null || loaderReleased.getAndSet(true)) {
            return;
        }
        try {
            own.letGo();
        } catch (java.io.IOException e) {
            LOG.warn("closing class loader {} failed", own.getName(), e);
        }
    }

    public PluginState state() {
        return state;
    }

    public DomainPlugin plugin() {
        return plugin;
    }

    public PluginInfo info() {
        return info;
    }

    public List<Kpi> kpis() {
        return kpis;
    }

    public PluginSource source() {
        return source;
    }

    public SafePublisher publisher() {
        return publisher;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The id to report: the declared one, or the provider's class name before a declaration was read. */
    public String id() {
        return info == null ? source.provider() : info.id();
    }

    public PluginStatus status() {
        PluginInfo i = info;
        PluginState s = state;
        boolean withCause = s == PluginState.FAILED || s == PluginState.RESTARTING || s == PluginState.QUARANTINED
                || s == PluginState.DISABLED;
        return new PluginStatus(id(), i == null ? "" : i.domain(), i == null ? "" : i.version(), s,
                withCause ? cause : null, source.origin(), kpis, source.provider(), restarts, source.warnings());
    }

    private static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    /** A call into plugin code failed; the message is the one-line cause. */
    static final class PluginCallException extends Exception {
        private static final long serialVersionUID = 1L;

        PluginCallException(String message) {
            super(message, null, false, false);
        }
    }
}
