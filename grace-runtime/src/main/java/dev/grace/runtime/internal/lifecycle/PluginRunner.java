package dev.grace.runtime.internal.lifecycle;

import com.google.inject.Injector;
import dev.grace.api.PluginContext;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.RejectionListener;
import dev.grace.runtime.SchedulerFactory;
import dev.grace.runtime.internal.publish.MinuteMark;
import dev.grace.runtime.internal.publish.RawEventPump;
import dev.grace.runtime.internal.publish.SafePublisher;
import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops plugins: registers a plugin's KPIs, builds its publisher, scheduler, context and
 * child injector, injects its members and calls {@code start}; later calls {@code stop} and releases
 * its threads. Each step that runs plugin code runs on the plugin's own thread with a timeout.
 */
public final class PluginRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRunner.class);

    private final Injector parent;
    private final Clock clock;
    private final RollupRegistry rollups;
    private final RawEventPump raw;
    private final RejectionListener listener;
    private final Path dataRoot;
    private final Duration latenessLimit;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final SchedulerFactory schedulers;
    private final MinuteMark minute;
    private final PluginAccess access;

    /** @param schedulers makes each plugin's scheduler; null for the default {@link PluginScheduler} */
    public PluginRunner(Injector parent, Clock clock, RollupRegistry rollups, RawEventPump raw,
                        RejectionListener listener, Path dataRoot, Duration latenessLimit, Duration startTimeout,
                        Duration stopTimeout, SchedulerFactory schedulers, MinuteMark minute, PluginAccess access) {
        this.minute = minute;
        this.access = access;
        this.schedulers = schedulers != null ? schedulers : PluginScheduler::new;
        this.parent = parent;
        this.clock = clock;
        this.rollups = rollups;
        this.raw = raw;
        this.listener = listener;
        this.dataRoot = dataRoot;
        this.latenessLimit = latenessLimit;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
    }

    /** Wires and starts one plugin whose declarations were accepted. Ends RUNNING or FAILED. */
    public void start(ManagedPlugin p, Map<String, Object> configSection) {
        start(p, configSection, p::fail);
    }

    /** Starts a plugin; a failure is handed to {@code failed} (the one-line cause) after it was logged. */
    private void start(ManagedPlugin p, Map<String, Object> configSection, java.util.function.Consumer<String> failed) {
        String id = p.info().id();
        List<KpiAccumulator> accumulators = p.accumulators();
        if (accumulators == null) {
            accumulators = new ArrayList<>();
            for (var kpi : p.kpis()) {
                accumulators.add(rollups.register(id, p.info().domain(), kpi));
            }
            p.accumulators(accumulators);
        }
        SafePublisher publisher = new SafePublisher(id, accumulators, clock, minute, latenessLimit.toMillis(), raw,
                listener, p.publisher()); // a restart goes on counting the same plugin's rejections
        ScheduledExecutorService scheduler = schedulers.create(id,
                new PluginThreads("grace-" + id + "-scheduler", p.source().loader(), id, p.info().domain()));
        p.attach(publisher, scheduler);
        MapPluginConfig config = new MapPluginConfig(id, configSection);
        PluginContext context = new DefaultPluginContext(p.info(), publisher, config, clock, scheduler, dataRoot,
                access.view(id), access.actions(id));
        p.state(PluginState.STARTING);
        try {
            Injector injector = parent.createChildInjector(new PluginModule(context));
            p.call("injection", startTimeout, () -> {
                injector.injectMembers(p.plugin());
                return null;
            });
            p.call("start", startTimeout, () -> {
                p.plugin().start(context);
                return null;
            });
            p.state(PluginState.RUNNING);
            LOG.info("plugin {} ({} {}) is running, from {}", id, p.info().domain(), p.info().version(),
                    p.source().origin());
            Map<String, Object> unread = new java.util.TreeMap<>();
            config.unread().forEach(k -> unread.put(k, configSection.get(k)));
            if (!unread.isEmpty()) {
                LOG.warn("plugin {} did not read config keys {} (a typo?)", id, unread.keySet());
            }
        } catch (ManagedPlugin.PluginCallException e) {
            LOG.error("plugin {} failed: {}", id, e.getMessage());
            failed.accept(e.getMessage());
        } catch (RuntimeException e) {
            // Guice refused the plugin's injection points before any of its code ran.
            String cause = "injection failed: " + ManagedPlugin.describe(e);
            LOG.error("plugin {} failed: {}", id, cause);
            failed.accept(cause);
        }
    }

    /**
     * Stops a plugin that failed while running so that it can be restarted: its {@code stop} (a
     * failure there is logged, the plugin is failing anyway), its scheduler and publisher. Its
     * lifecycle thread and class loader stay. Ends RESTARTING with {@code reason}.
     */
    public void stopForRestart(ManagedPlugin p, String reason) {
        String id = p.info().id();
        try {
            p.call("stop", stopTimeout, () -> {
                p.plugin().stop();
                return null;
            });
        } catch (ManagedPlugin.PluginCallException e) {
            LOG.warn("plugin {}: {} while stopping it for a restart", id, e.getMessage());
        }
        p.scheduler().shutdownNow();
        p.publisher().close();
        p.restarting(reason);
    }

    /**
     * Restarts a RESTARTING plugin: a new instance from its provider (a host's instance is reused),
     * whose declarations must be the same as before, then {@link #start}. Ends RUNNING; RESTARTING
     * again with {@code "restart failed: <cause>"} when construction or start failed (the supervisor
     * counts it as another failure); FAILED when the new instance declares something else, which no
     * restart can mend.
     */
    public void restart(ManagedPlugin p, Map<String, Object> configSection) {
        var before = p.info();
        var kpisBefore = p.kpis();
        p.restarted();
        String cause = p.construct(startTimeout);
        if (cause != null) {
            LOG.error("plugin {} failed to restart: {}", before.id(), cause);
            p.restarting("restart failed: " + cause);
            return;
        }
        if (!p.info().equals(before) || !p.kpis().equals(kpisBefore)) {
            p.fail("the restarted instance declares " + p.info() + " with KPIs " + p.kpis()
                    + ", not what the first instance declared");
            return;
        }
        start(p, configSection, reason -> {
            p.scheduler().shutdownNow();
            p.publisher().close();
            p.restarting("restart failed: " + reason);
        });
    }

    /**
     * Stops a RUNNING plugin: shuts its scheduler (no task starts any more), calls its {@code stop},
     * waits for the scheduled task still running, then closes its publisher. Ends STOPPED or FAILED.
     */
    public void stop(ManagedPlugin p) {
        if (p.state() != PluginState.RUNNING) {
            p.release();
            return;
        }
        String id = p.info().id();
        // Shut first: no scheduled task starts once stop() was called, so none runs into what stop()
        // released. A task already running finishes; it is waited for below.
        ScheduledExecutorService scheduler = p.scheduler();
        scheduler.shutdown();
        try {
            p.call("stop", stopTimeout, () -> {
                p.plugin().stop();
                return null;
            });
            if (!scheduler.awaitTermination(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
                LOG.warn("plugin {}: scheduled tasks still running after stop were interrupted", id);
            }
            p.state(PluginState.STOPPED);
        } catch (ManagedPlugin.PluginCallException e) {
            LOG.error("plugin {} failed to stop: {}", id, e.getMessage());
            p.fail(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.fail("stop was interrupted");
        } finally {
            p.publisher().close();
            p.release();
        }
    }
}
