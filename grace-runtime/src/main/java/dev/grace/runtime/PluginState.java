package dev.grace.runtime;

/** Where a plugin is in its life. Only FAILED carries a cause. */
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
    STOPPED
}
