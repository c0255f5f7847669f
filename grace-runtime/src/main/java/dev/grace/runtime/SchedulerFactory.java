package dev.grace.runtime;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Makes each plugin's scheduler. The default is a one-thread scheduled executor whose failed tasks
 * are logged and counted; the testkit replaces it with one that runs in virtual time, driven by a
 * manual clock. The runtime shuts the scheduler down when the plugin stops.
 */
@FunctionalInterface
public interface SchedulerFactory {

    /**
     * @param pluginId the plugin's id
     * @param threads  makes threads that carry the plugin's class loader and logging MDC; use it
     *                 for any thread the scheduler creates
     */
    ScheduledExecutorService create(String pluginId, ThreadFactory threads);

    /**
     * A scheduler that counts its tasks that threw. The supervisor restarts a plugin whose
     * scheduler's count grew; a scheduler that does not implement this is not watched.
     */
    interface TaskFailures {
        /** Tasks that threw so far. */
        long failedTasks();
    }
}
