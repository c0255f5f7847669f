package dev.grace.testkit;

/**
 * A plugin's state as a plugin test sees it, so that the test imports {@code dev.grace.testkit} and
 * {@code dev.grace.api} only. The same states, by name, as the runtime's own.
 */
public enum State {
    /** Found and declared; not started. */
    DISCOVERED,
    /** {@code start} is running. */
    STARTING,
    /** Started and publishing. */
    RUNNING,
    /** Refused, or threw or hung in construction, start or stop; {@link PluginHarness#cause()} says why. */
    FAILED,
    /** Stopped cleanly. */
    STOPPED,
    /** Failed while running; restarts after a backoff. */
    RESTARTING,
    /** Failed while running more often than the supervisor restarts it. */
    QUARANTINED,
    /** Left out by {@code plugins.enabled}. */
    DISABLED
}
