package dev.grace.runtime;

/**
 * What the runtime did to plugins that a host may want on record: refusals, restarts (healing
 * actions) and quarantines. The store's audit log implements it; the default does nothing. Called on
 * the runtime's own threads; keep it quick and do not throw.
 */
public interface RuntimeEvents {

    /** Does nothing. */
    RuntimeEvents NONE = new RuntimeEvents() {
    };

    /**
     * A plugin was refused or failed before it could start.
     *
     * @param plugin the plugin id, or what failed when no id was known
     * @param source where it came from: {@code classpath}, {@code host} or a path
     * @param reason one line
     */
    default void pluginRefused(String plugin, String source, String reason) {
    }

    /**
     * The supervisor restarted a plugin that failed while running: a healing action.
     *
     * @param restart which restart this is within the supervision window, from 1
     * @param reason  the failure that caused it
     */
    default void pluginRestarted(String plugin, int restart, String reason) {
    }

    /** The supervisor gave up on a plugin after too many restarts; it stays stopped. */
    default void pluginQuarantined(String plugin, String reason) {
    }
}
