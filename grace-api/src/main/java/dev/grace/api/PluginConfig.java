package dev.grace.api;

import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin's configuration: the {@code plugins.<id>} section of the runtime's config, with typed
 * access. Every accessor that finds a value of the wrong form throws {@link PluginConfigException}
 * naming the plugin, the key, the expected form and what was found.
 *
 * <p>Durations are written {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or in ISO-8601
 * ({@code PT30S}).
 */
public interface PluginConfig {

    /** The keys present in this section. */
    Set<String> keys();

    /** The value as text, if the key is present. */
    Optional<String> string(String key);

    /** The value as text, or {@code defaultValue} when absent (so null when absent and the default is null). */
    default @Nullable String string(String key, @Nullable String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /**
     * The value as text.
     *
     * @throws PluginConfigException when the key is absent
     */
    String requireString(String key);

    /** The value as an int, or {@code defaultValue} when absent. */
    int integer(String key, int defaultValue);

    /** The value as a long, or {@code defaultValue} when absent. */
    long longValue(String key, long defaultValue);

    /** The value as a finite double, or {@code defaultValue} when absent. */
    double number(String key, double defaultValue);

    /** The value as a boolean ({@code true} or {@code false}), or {@code defaultValue} when absent. */
    boolean bool(String key, boolean defaultValue);

    /** The value as a duration, or {@code defaultValue} when absent (null for "no default" is returned as null). */
    @Nullable Duration duration(String key, @Nullable Duration defaultValue);

    /**
     * The value as a path (relative paths resolve against the working directory), or {@code defaultValue}
     * when absent (null for "no default" is returned as null).
     */
    @Nullable Path path(String key, @Nullable Path defaultValue);

    /** The value as a list of strings (a list, or one comma-separated string); empty when absent. */
    List<String> list(String key);

    /**
     * The value as a list of maps of single values, each value as text — for a list of items that
     * each have fields, written in a config file as
     * <pre>{@code
     * connectors:
     *   - {name: billing, url: https://billing.example/health, timeout: 2s}
     * }</pre>
     * Empty when absent. Variables and {@code --set} cannot write this form.
     *
     * @throws PluginConfigException when the value is not a list of maps of single values, naming
     *                               the item ({@code plugins.<id>.<key>[2]})
     */
    List<Map<String, String>> maps(String key);
}
