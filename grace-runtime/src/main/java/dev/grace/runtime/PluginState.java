package dev.grace.runtime;

/** Where a plugin is in its life. FAILED, RESTARTING and QUARANTINED carry a cause. */
public enum PluginState {
    /** Found and declared; not started. */
    DISCOVERED,
    /** {@code start} is running. */
    STARTING,
    /** Started and publishing. */
    RUNNING,
    /** Refused, or threw or hung in construction, start or stop; see the cause. */
    FAILED,
    /** Stopped cleanly. */
    STOPPED,
    /** Failed while running (a scheduled task threw, or its health check said so); restarts after a backoff. */
    RESTARTING,
    /** Failed while running more often than the supervisor restarts it; stopped until the runtime restarts. */
    QUARANTINED,
    /** Found but left out by {@code plugins.enabled}; never started. The cause says so. */
    DISABLED
}
