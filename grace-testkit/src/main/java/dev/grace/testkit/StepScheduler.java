package dev.grace.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A plugin scheduler for tests of several plugins under the real runtime, where
 * {@link PluginHarness} (one plugin) does not fit: periodic tasks are kept, not scheduled, and run
 * on the test's thread by {@link #step()}, so the test decides exactly when each plugin observes
 * while it moves a {@link ManualClock}. One-off tasks run on a real thread.
 *
 * <pre>{@code
 * Map<String, StepScheduler> schedulers = new ConcurrentHashMap<>();
 * GraceRuntime runtime = GraceRuntime.builder().clock(clock).plugin(watcher).plugin(other)
 *         .schedulers((id, threads) -> schedulers.computeIfAbsent(id, i -> new StepScheduler(threads)))
 *         .build().start();
 * clock.advance(Duration.ofMinutes(5));
 * runtime.turnHour();
 * schedulers.get("core").step();
 * }</pre>
 */
public final class StepScheduler extends ScheduledThreadPoolExecutor {

    private final List<Runnable> periodic = new CopyOnWriteArrayList<>();

    /** @param threads the runtime's thread factory for the plugin (its class loader and logging MDC) */
    public StepScheduler(ThreadFactory threads) {
        super(1, threads);
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);   // the placeholders below must not hold up a stop
    }

    /** Runs every periodic task once, now, on this thread; a task that throws fails the test. */
    public void step() {
        periodic.forEach(Runnable::run);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        periodic.add(command);
        return schedule(() -> { }, 365, TimeUnit.DAYS);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return scheduleWithFixedDelay(command, initialDelay, period, unit);
    }
}
