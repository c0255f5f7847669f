package dev.grace.api;

/**
 * What a governing plugin (the reference {@code parliament}) may change in the runtime. Every call
 * is checked, recorded in the runtime's audit log with the calling plugin's id and the reason, and
 * answers whether it took effect; none throws.
 *
 * <p>Inject it with {@code @Inject RuntimeActions actions} or take it from
 * {@link PluginContext#actions()}.
 */
public interface RuntimeActions {

    /**
     * Stops a plugin and keeps it stopped until the runtime restarts.
     *
     * @return false when there is no such plugin, it is the caller, or it is already quarantined
     */
    boolean quarantine(String pluginId, String reason);

    /**
     * Changes a cognition benchmark's threshold from the next evaluated hour on.
     *
     * @return false when there is no such benchmark, the threshold is not finite, or cognition is off
     */
    boolean setBenchmarkThreshold(String benchmark, double threshold, String reason);
}
