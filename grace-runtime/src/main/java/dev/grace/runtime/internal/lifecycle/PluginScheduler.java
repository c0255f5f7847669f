package dev.grace.runtime.internal.lifecycle;

import dev.grace.runtime.SchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * A plugin's own scheduler. The JDK's executor keeps a failed task's exception inside its future,
 * where nobody looks, and silently cancels a periodic task that threw; this one logs every failure
 * with the plugin's name and counts it, so a broken schedule is visible.
 */
final class PluginScheduler extends ScheduledThreadPoolExecutor implements SchedulerFactory.TaskFailures {

    private static final Logger LOG = LoggerFactory.getLogger(PluginScheduler.class);

    private final String pluginId;
    private final LongAdder failures = new LongAdder();

    PluginScheduler(String pluginId, ThreadFactory threads) {
        super(1, threads);
        this.pluginId = pluginId;
        setRemoveOnCancelPolicy(true);
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
        super.afterExecute(r, t);
        Throwable failure = t;
        if (failure == null && r instanceof Future<?> f && f.isDone() && !f.isCancelled()) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (CancellationException ignored) {
                // cancelled by the plugin: not a failure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            failures.increment();
            LOG.error("plugin {}: a scheduled task failed{}", pluginId,
                    isPeriodic(r) ? " and will not run again" : "", failure);
        }
    }

    private static boolean isPeriodic(Runnable r) {
        return r instanceof java.util.concurrent.RunnableScheduledFuture<?> f && f.isPeriodic();
    }

    @Override
    public long failedTasks() {
        return failures.sum();
    }
}
