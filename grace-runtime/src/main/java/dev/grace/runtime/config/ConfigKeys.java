package dev.grace.runtime.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys {@link GraceConfig} accepts, read from its record components so that a component added
 * there is a known key here — in files, {@code GRACE_*} variables and {@code --set} — with nothing
 * else to update.
 */
final class ConfigKeys {

    /** What a key holds, which decides how its text is read and what a file may write for it. */
    enum Kind {
        TEXT("text"),
        PATH("a path"),
        PATH_LIST("a list of paths (or one comma-separated string)"),
        TEXT_LIST("a list of names (or one comma-separated string)"),
        DURATION(Durations.EXPECTED),
        BOOLEAN("true or false"),
        INTEGER("a whole number"),
        /** A whole number beyond int's range: a size in bytes. */
        LONG("a whole number"),
        DECIMAL("a finite number"),
        /** A nested record: a map of known keys. */
        SECTION("a map of keys"),
        /** {@code plugins}: plugin id to that plugin's free-form map of keys. */
        PLUGINS("a map of plugin id to that plugin's keys");

        private final String expected;

        Kind(String expected) {
            this.expected = expected;
        }

        /** What a person should write, for error messages. */
        String expected() {
            return expected;
        }
    }

    static final String PLUGINS = "plugins";
    /** The key of {@link GraceConfig#enabledPlugins()}: written under {@code plugins}, beside the plugins' sections. */
    static final String ENABLED = "plugins.enabled";
    /** The component {@link #ENABLED} fills. */
    static final String ENABLED_COMPONENT = "enabledPlugins";

    /** Dotted path to kind, in declaration order; the root section is "". */
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    /** Section path to the names of its keys, in declaration order. */
    private final Map<String, List<String>> children = new LinkedHashMap<>();

    private ConfigKeys(Class<? extends Record> root) {
        walk(root, "");
    }

    static ConfigKeys of(Class<? extends Record> root) {
        return new ConfigKeys(root);
    }

    Optional<Kind> kind(String path) {
        return Optional.ofNullable(kinds.get(path));
    }

    /** The names of the keys in a section ("" for the top level). */
    List<String> children(String section) {
        return children.getOrDefault(section, List.of());
    }

    /** Every key that holds a value (not a section), in declaration order. */
    List<String> valueKeys() {
        return kinds.entrySet().stream()
                .filter(e -> e.getValue() != Kind.SECTION && e.getValue() != Kind.PLUGINS)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The environment variable for a key: {@code publisher.latenessLimit} is {@code GRACE_PUBLISHER_LATENESS_LIMIT}. */
    static String envName(String path) {
        StringBuilder sb = new StringBuilder("GRACE");
        for (String segment : path.split("\\.")) {
            sb.append('_').append(upperSnake(segment));
        }
        return sb.toString();
    }

    /** {@code rawEventCapacity} becomes {@code RAW_EVENT_CAPACITY}. */
    static String upperSnake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toUpperCase(c));
        }
        return sb.toString();
    }

    /** {@code SCAN_INTERVAL} becomes {@code scanInterval}; the inverse of {@link #upperSnake} for camelCase keys. */
    static String lowerCamel(String upperSnake) {
        StringBuilder sb = new StringBuilder();
        boolean upperNext = false;
        for (char c : upperSnake.toCharArray()) {
            if (c == '_') {
                upperNext = true;
            } else {
                sb.append(upperNext ? Character.toUpperCase(c) : Character.toLowerCase(c));
                upperNext = false;
            }
        }
        return sb.toString();
    }

    private void walk(Class<?> record, String prefix) {
        List<String> names = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            if (prefix.isEmpty() && component.getName().equals(ENABLED_COMPONENT)) {
                kinds.put(ENABLED, Kind.TEXT_LIST);   // a key of the plugins section, not a top-level one
                continue;
            }
            String path = prefix.isEmpty() ? component.getName() : prefix + "." + component.getName();
            names.add(component.getName());
            Kind kind = kindOf(path, component.getType(), component.getGenericType());
            kinds.put(path, kind);
            if (kind == Kind.SECTION) {
                walk(component.getType(), path);
            }
        }
        children.put(prefix, Collections.unmodifiableList(names));
    }

    private static Kind kindOf(String path, Class<?> type, Type generic) {
        if (type == String.class) {
            return Kind.TEXT;
        } else if (type == Path.class) {
            return Kind.PATH;
        } else if (type == Duration.class) {
            return Kind.DURATION;
        } else if (type == boolean.class || type == Boolean.class) {
            return Kind.BOOLEAN;
        } else if (type == int.class || type == Integer.class) {
            return Kind.INTEGER;
        } else if (type == long.class || type == Long.class) {
            return Kind.LONG;
        } else if (type == double.class || type == Double.class) {
            return Kind.DECIMAL;
        } else if (type == List.class && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == Path.class) {
            return Kind.PATH_LIST;
        } else if (type == List.class && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class) {
            return Kind.TEXT_LIST;
        } else if (type == Map.class && path.equals(PLUGINS)) {
            return Kind.PLUGINS;
        } else if (type.isRecord()) {
            return Kind.SECTION;
        }
        throw new IllegalStateException("config key " + path + " has type " + generic.getTypeName()
                + ", which ConfigLoader cannot read; teach ConfigKeys.kindOf about it");
    }
}
