package dev.grace.api;

/**
 * A plugin's configuration value is missing or has the wrong form. The message names the plugin,
 * the key, the expected form and what was found. Thrown from {@link DomainPlugin#start(PluginContext)},
 * it fails that plugin alone.
 */
public final class PluginConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message one line: plugin, key, expected form, found value */
    public PluginConfigException(String message) {
        super(message);
    }
}
