package dev.grace.runtime.internal.lifecycle;

import dev.grace.api.PluginConfig;
import dev.grace.api.PluginConfigException;
import dev.grace.runtime.config.Durations;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plugin's configuration section, as parsed from YAML or JSON (strings, numbers, booleans, lists)
 * or given as strings by flags and environment variables. Remembers which keys the plugin read, so
 * the runtime can warn about keys nobody read — usually a typo.
 */
final class MapPluginConfig implements PluginConfig {

    private final String pluginId;
    private final Map<String, Object> values;
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    MapPluginConfig(String pluginId, Map<String, Object> values) {
        this.pluginId = pluginId;
        this.values = Map.copyOf(values);
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }

    /** Keys present that the plugin never asked for. */
    Set<String> unread() {
        Set<String> out = new java.util.TreeSet<>(values.keySet());
        out.removeAll(read);
        return out;
    }

    private Object raw(String key) {
        read.add(key);
        return values.get(key);
    }

    @Override
    public Optional<String> string(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> || v instanceof Collection<?>) {
            throw wrong(key, "a single value", v);
        }
        return Optional.of(v.toString());
    }

    @Override
    public String requireString(String key) {
        return string(key).orElseThrow(() -> new PluginConfigException(
                "plugin " + pluginId + ": config key plugins." + pluginId + "." + key + " is required but missing"));
    }

    @Override
    public int integer(String key, int defaultValue) {
        long v = longValue(key, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw wrong(key, "a whole number within int range", v);
        }
        return (int) v;
    }

    @Override
    public long longValue(String key, long defaultValue) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(s.get().strip());
        } catch (NumberFormatException e) {
            throw wrong(key, "a whole number", s.get());
        }
    }

    @Override
    public double number(String key, double defaultValue) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(s.get().strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw wrong(key, "a finite number", s.get());
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        return switch (s.get().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw wrong(key, "true or false", s.get());
        };
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        try {
            return Durations.parse(s.get());
        } catch (IllegalArgumentException e) {
            throw wrong(key, Durations.EXPECTED, s.get());
        }
    }

    @Override
    public Path path(String key, Path defaultValue) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        try {
            return Path.of(s.get());
        } catch (InvalidPathException e) {
            throw wrong(key, "a file system path", s.get());
        }
    }

    @Override
    public List<String> list(String key) {
        Object v = raw(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof Collection<?> c) {
            List<String> out = new ArrayList<>(c.size());
            for (Object o : c) {
                if (o == null || o instanceof Map<?, ?> || o instanceof Collection<?>) {
                    throw wrong(key, "a list of single values", v);
                }
                out.add(o.toString());
            }
            return List.copyOf(out);
        }
        if (v instanceof Map<?, ?>) {
            throw wrong(key, "a list or a comma-separated string", v);
        }
        return Arrays.stream(v.toString().split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    @Override
    public List<Map<String, String>> maps(String key) {
        Object v = raw(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof Collection<?> c)) {
            throw wrong(key, "a list of maps, one per item", v);
        }
        List<Map<String, String>> out = new ArrayList<>(c.size());
        int i = 0;
        for (Object item : c) {
            if (!(item instanceof Map<?, ?> m)) {
                throw wrong(key + "[" + i + "]", "a map of fields", item);
            }
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object value = e.getValue();
                if (value == null || value instanceof Map<?, ?> || value instanceof Collection<?>) {
                    throw wrong(key + "[" + i + "]." + e.getKey(), "a single value", value);
                }
                fields.put(String.valueOf(e.getKey()), value.toString());
            }
            out.add(java.util.Collections.unmodifiableMap(fields));
            i++;
        }
        return List.copyOf(out);
    }

    private PluginConfigException wrong(String key, String expected, Object found) {
        return new PluginConfigException("plugin " + pluginId + ": config key plugins." + pluginId + "." + key
                + " must be " + expected + ", got \"" + found + "\"");
    }
}
