package dev.grace.runtime.internal.supervision;

import dev.grace.api.Backoff;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.RuntimeEvents;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.lifecycle.ManagedPlugin;
import dev.grace.runtime.internal.lifecycle.PluginRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Watches running plugins and heals them. At each {@link #tick}, a RUNNING plugin whose scheduled
 * tasks threw since the last tick, or whose {@code health()} says it is unhealthy (or throws, or
 * hangs), is stopped and becomes RESTARTING; once its backoff has passed it is restarted with a new
 * instance. Backoff doubles from the configured start up to its maximum, each wait jittered between
 * half and all of that ({@link Backoff}), so plugins that failed together do not restart in step; a plugin that fails again
 * after {@code maxRestarts} restarts within the window is QUARANTINED and stays stopped.
 *
 * <p>Time is read only from the runtime's clock, and nothing happens between ticks, so a test drives
 * the whole sequence with a manual clock and explicit ticks.
 */
public final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final Clock clock;
    private final GraceConfig.Supervision config;
    private final Duration callTimeout;
    private final PluginRunner runner;
    private final RuntimeEvents events;
    private final Backoff backoff;
    private final Map<ManagedPlugin, Watch> watches = new IdentityHashMap<>();
    private ScheduledExecutorService thread;

    /** What the supervisor remembers of one plugin. */
    private static final class Watch {
        long seenFailures;
        long restartDue;
        final Deque<Long> restarts = new ArrayDeque<>();
    }

    public Supervisor(Clock clock, GraceConfig.Supervision config, Duration callTimeout, PluginRunner runner,
                      RuntimeEvents events) {
        this.clock = clock;
        this.config = config;
        this.callTimeout = callTimeout;
        this.runner = runner;
        this.events = events;
        // a start above the maximum waits the maximum, as it always did
        Duration start = config.backoff().compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : config.backoff();
        this.backoff = Backoff.doubling(start, config.maxBackoff());
    }

    /** Calls {@code tick} every {@code supervision.interval} on a daemon thread of its own until {@link #close()}. */
    public synchronized void startTicking(Runnable tick) {
        if (thread != null) {
            return;
        }
        long every = config.interval().toMillis();
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grace-supervisor");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(tick, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops ticking. */
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.shutdownNow();
        }
    }

    /** Looks at every plugin once: restarts what is due, stops what fails. */
    public synchronized void tick(List<ManagedPlugin> plugins, Function<String, Map<String, Object>> configSections) {
        long now = clock.millis();
        for (ManagedPlugin p : plugins) {
            if (p.state() == PluginState.RUNNING) {
                Watch w = watches.computeIfAbsent(p, k -> new Watch());
                String problem = p.problem(w.seenFailures, callTimeout);
                w.seenFailures = p.failedTasks();
                if (problem != null) {
                    runner.stopForRestart(p, problem);
                    failed(p, w, problem, now);
                }
            } else if (p.state() == PluginState.RESTARTING) {
                Watch w = watches.get(p);
                if (w != null && now >= w.restartDue) {
                    w.restarts.addLast(now);
                    w.seenFailures = 0;
                    String reason = p.status().cause();
                    LOG.warn("plugin {}: restart {} of at most {} within {} ({})", p.id(), w.restarts.size(),
                            config.maxRestarts(), config.window(), reason);
                    events.pluginRestarted(p.id(), w.restarts.size(), reason);
                    runner.restart(p, configSections.apply(p.id()));
                    if (p.state() == PluginState.RESTARTING) {
                        failed(p, w, p.status().cause(), now);   // the restart itself failed: back off again
                    }
                }
            }
        }
    }

    /** Decides what follows a failure of {@code p}, which is already stopped and RESTARTING. */
    private void failed(ManagedPlugin p, Watch w, String problem, long now) {
        long windowStart = now - config.window().toMillis();
        while (!w.restarts.isEmpty() && w.restarts.peekFirst() <= windowStart) {
            w.restarts.removeFirst();
        }
        if (w.restarts.size() >= config.maxRestarts()) {
            String reason = "quarantined after " + w.restarts.size() + " restarts within " + config.window()
                    + "; last failure: " + problem;
            LOG.error("plugin {} {}", p.id(), reason);
            p.quarantine(reason);
            events.pluginQuarantined(p.id(), reason);
            return;
        }
        Duration wait = backoff(w.restarts.size());
        w.restartDue = now + wait.toMillis();
        LOG.warn("plugin {} failed ({}); restarting in {}", p.id(), problem, wait);
    }

    /**
     * The wait before restart number {@code previous + 1}: the backoff doubled {@code previous} times,
     * capped, jittered; whole milliseconds, as the clock is read.
     */
    Duration backoff(int previous) {
        return backoff.delay(previous + 1).truncatedTo(ChronoUnit.MILLIS);
    }
}
