package dev.grace.api;

import org.jspecify.annotations.Nullable;

/**
 * A plugin's own answer to "are you doing your work?", from {@link DomainPlugin#health()}.
 *
 * @param healthy whether the plugin works
 * @param reason  why not, in one line; empty when healthy (null is taken as empty)
 */
public record PluginHealth(boolean healthy, String reason) {

    private static final PluginHealth OK = new PluginHealth(true, "");

    /** Normalises the reason; written out so that it may be null here and never from {@link #reason()}. */
    public PluginHealth(boolean healthy, @Nullable String reason) {
        this.healthy = healthy;
        this.reason = reason == null ? "" : reason;
    }

    /** Healthy. */
    public static PluginHealth ok() {
        return OK;
    }

    /** Not healthy, for this reason; the runtime restarts the plugin. */
    public static PluginHealth unhealthy(String reason) {
        return new PluginHealth(false, reason);
    }
}
