package dev.grace.runtime.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The environment layer of {@link ConfigLoader}: every {@code GRACE_*} variable that belongs to the
 * config, named as {@link ConfigLoader#envName} names keys, its text read by the key's type.
 */
final class ConfigEnv {

    private static final Pattern ENV_PART = Pattern.compile("[A-Z0-9]+(_[A-Z0-9]+)*");
    private static final String ENV_PREFIX = "GRACE_";
    static final String PLUGIN_ENV_PREFIX = "GRACE_PLUGINS__";
    private static final Map<String, String> KEY_BY_ENV = ConfigValues.KEYS.valueKeys().stream()
            .collect(Collectors.toMap(ConfigKeys::envName, k -> k, (a, b) -> a, LinkedHashMap::new));

    private ConfigEnv() {
    }

    /** The settings of the variables, in the order of their names; empty variables count as unset. */
    static List<Setting> read(Map<String, String> env) {
        List<Setting> settings = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || ConfigLoader.isNotConfig(name) || e.getValue() == null || e.getValue().isEmpty()) {
                continue;
            }
            settings.add(ConfigValues.fromText(envPath(name), e.getValue(), name));
        }
        return settings;
    }

    private static List<String> envPath(String name) {
        if (name.startsWith(PLUGIN_ENV_PREFIX)) {
            String[] parts = name.substring(PLUGIN_ENV_PREFIX.length()).split("__", -1);
            List<String> path = new ArrayList<>(List.of(ConfigKeys.PLUGINS));
            for (String part : parts) {
                if (!ENV_PART.matcher(part).matches()) {
                    path = null;
                    break;
                }
                path.add(path.size() == 1 ? part.toLowerCase(Locale.ROOT).replace('_', '-') : ConfigKeys.lowerCamel(part));
            }
            if (path == null || path.size() < 3) {
                throw ConfigException.in(name, "expected GRACE_PLUGINS__<ID>__<KEY>, the plugin id and the key in"
                        + " upper snake case, for example GRACE_PLUGINS__MY_PLUGIN__SCAN_INTERVAL");
            }
            return path;
        }
        String key = KEY_BY_ENV.get(name);
        if (key == null) {
            throw ConfigException.in(name, "unknown configuration variable (known: "
                    + String.join(", ", KEY_BY_ENV.keySet()) + ", GRACE_PLUGINS__<ID>__<KEY>)");
        }
        return List.of(key.split("\\."));
    }
}
