package dev.grace.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads a {@link GraceConfig} from four layers, each overriding the one before:
 * <ol>
 *   <li>the defaults of {@link GraceConfig#defaults()};</li>
 *   <li>one optional file, YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}), with keys
 *       named as the record components are ({@code publisher: {latenessLimit: 3h}});</li>
 *   <li>{@code GRACE_*} environment variables, passed in as a map;</li>
 *   <li>explicit overrides, dotted key to text ({@code publisher.latenessLimit=3h}), each with the
 *       flag it came from, applied in the order given.</li>
 * </ol>
 *
 * <pre>{@code
 * GraceConfig config = ConfigLoader.create()
 *         .file(Path.of("grace.yaml"))
 *         .env(System.getenv())
 *         .overrides("--set", Map.of("publisher.latenessLimit", "3h"))
 *         .override("--data-dir", "dataDir", "/var/lib/grace")
 *         .load();
 * }</pre>
 *
 * <p><b>Environment variables.</b> A key's variable is {@code GRACE_} followed by its dotted path's
 * segments in upper snake case, joined by {@code _}: {@code dataDir} is {@code GRACE_DATA_DIR},
 * {@code publisher.latenessLimit} is {@code GRACE_PUBLISHER_LATENESS_LIMIT}. A plugin's key is
 * {@code GRACE_PLUGINS__<ID>__<KEY>}, with double underscores between the parts: the id in upper
 * case with {@code -} written as {@code _} ({@code my-plugin} is {@code MY_PLUGIN}; plugin ids
 * cannot contain {@code _}, so this reads back unambiguously), and the key in upper snake case,
 * read back as lower camel case ({@code SCAN_INTERVAL} is {@code scanInterval}). Further
 * {@code __} separators address nested keys. Every other {@code GRACE_*} variable is rejected as
 * an unknown key, except {@code GRACE_CONFIG} and names ending in {@code _HOME} or {@code _OPTS}
 * (such as {@code GRACE_JAVA_OPTS}), which belong to the launcher and the command line. An empty
 * variable counts as unset.
 *
 * <p><b>Values.</b> Text from variables and flags is read by the key's type: durations as in
 * {@link Durations#parse(String)}, booleans as {@code true} or {@code false}, whole numbers, and
 * {@code pluginsDirs} as a comma-separated list. A file must use the right types (a quoted
 * {@code "1024"} is not a number); {@code pluginsDirs} may be a list or one comma-separated
 * string. A key written with no value ({@code null}) counts as unset. Plugin sections are free-form;
 * their values reach the plugin as written.
 *
 * <p><b>Errors.</b> Anything wrong is a {@link ConfigException} whose one-line message names the
 * source, the key, what was expected and what was found; the checks of {@link GraceConfig}'s
 * constructors surface the same way.
 *
 * <p>This class layers and converts; the file layer is {@link ConfigFile}, the environment layer
 * {@link ConfigEnv}, and the checks of keys and values {@link ConfigValues}.
 */
public final class ConfigLoader {

    private static final String DEFAULTS = "defaults";
    private static final ObjectNode DEFAULT_TREE = ConfigMappers.JSON.valueToTree(GraceConfig.defaults());

    private Path file;
    private Map<String, String> env = Map.of();
    private final List<FlagValue> overrides = new ArrayList<>();

    private ConfigLoader() {
    }

    /** A loader that, until told otherwise, reads nothing but the defaults. */
    public static ConfigLoader create() {
        return new ConfigLoader();
    }

    /** The config file to read, {@code .yaml}, {@code .yml} or {@code .json}; null for none. */
    public ConfigLoader file(Path file) {
        this.file = file;
        return this;
    }

    /** The environment to read {@code GRACE_*} variables from, usually {@code System.getenv()}. */
    public ConfigLoader env(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        return this;
    }

    /**
     * Overrides one key, above the file and the environment.
     *
     * @param source the flag it came from, named in errors, for example {@code --data-dir}
     * @param key    the dotted key, for example {@code dataDir} or {@code plugins.example.path}
     * @param value  the value as text, read by the key's type
     */
    public ConfigLoader override(String source, String key, String value) {
        overrides.add(new FlagValue(Objects.requireNonNull(source, "source"), Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, () -> "value of " + key)));
        return this;
    }

    /** Overrides several keys from one flag, such as every {@code --set KEY=VALUE}, in the map's order. */
    public ConfigLoader overrides(String source, Map<String, String> values) {
        values.forEach((key, value) -> override(source, key, value));
        return this;
    }

    /**
     * Reads every layer and builds the config.
     *
     * @throws ConfigException naming the source and key of the first problem found
     */
    public GraceConfig load() {
        List<Setting> settings = new ArrayList<>();
        if (file != null) {
            settings.addAll(ConfigFile.read(file));
        }
        settings.addAll(ConfigEnv.read(env));
        for (FlagValue o : overrides) {
            settings.add(ConfigValues.fromText(ConfigValues.dottedKey(o.key(), o.source()), o.value(), o.source()));
        }

        ObjectNode tree = DEFAULT_TREE.deepCopy();
        Map<String, String> origins = new HashMap<>();
        for (Setting s : settings) {
            put(tree, s.path(), s.value());
            origins.put(String.join(".", s.path()), s.source());
        }
        return convert(tree, origins);
    }

    /**
     * Whether a {@code GRACE_*} variable belongs to the launcher or the command line rather than to
     * the config: {@code GRACE_CONFIG} and names ending in {@code _HOME} or {@code _OPTS}.
     */
    public static boolean isNotConfig(String envName) {
        return envName.equals("GRACE_CONFIG") || envName.endsWith("_HOME") || envName.endsWith("_OPTS");
    }

    /** The environment variable that sets a dotted key: {@code publisher.latenessLimit} is {@code GRACE_PUBLISHER_LATENESS_LIMIT}. */
    public static String envName(String key) {
        List<String> path = List.of(key.split("\\."));
        if (path.size() >= 3 && path.get(0).equals(ConfigKeys.PLUGINS)) {
            StringBuilder sb = new StringBuilder(ConfigEnv.PLUGIN_ENV_PREFIX)
                    .append(path.get(1).toUpperCase(Locale.ROOT).replace('-', '_'));
            path.subList(2, path.size()).forEach(k -> sb.append("__").append(ConfigKeys.upperSnake(k)));
            return sb.toString();
        }
        return ConfigKeys.envName(key);
    }

    // --- building the record ------------------------------------------------------------------

    private static void put(ObjectNode tree, List<String> path, JsonNode value) {
        ObjectNode node = tree;
        for (String segment : path.subList(0, path.size() - 1)) {
            JsonNode child = node.get(segment);
            node = child instanceof ObjectNode object ? object : node.putObject(segment);
        }
        node.set(path.get(path.size() - 1), value);
    }

    private static GraceConfig convert(ObjectNode tree, Map<String, String> origins) {
        try {
            return ConfigMappers.JSON.treeToValue(tree, GraceConfig.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof IllegalArgumentException rejected) {
                throw rejectedByRecord(rejected.getMessage(), pathOf(e), origins);
            }
            throw new IllegalStateException("cannot build GraceConfig from checked values", e);
        } catch (JsonProcessingException e) {
            // The values were checked against their keys above, so this is a gap in those checks.
            String key = pathOf(e);
            throw ConfigException.at(originOf(key, origins), key, firstLine(e.getOriginalMessage()));
        }
    }

    /**
     * A record constructor refused a combination of values. Its message starts with the dotted key
     * ({@code publisher.rawEventCapacity must be ...}); find that key, and who set it.
     */
    private static ConfigException rejectedByRecord(String message, String section, Map<String, String> origins) {
        String msg = message == null ? "rejected" : firstLine(message);
        String key = ConfigValues.KEYS.valueKeys().stream()
                .filter(k -> section.isEmpty() || k.startsWith(section + "."))
                .filter(k -> msg.startsWith(k + " ") || msg.contains(" " + k + " "))
                .reduce((a, b) -> a.length() >= b.length() ? a : b)
                .orElse(section.isEmpty() ? "(config)" : section);
        String problem = msg.startsWith(key + " ") ? msg.substring(key.length() + 1) : msg;
        return ConfigException.at(originOf(key, origins), key, problem);
    }

    /** Who set this key: the layer that set it or its nearest enclosing key, else whoever set something under it. */
    private static String originOf(String key, Map<String, String> origins) {
        for (String k = key; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
            String origin = origins.get(k);
            if (origin != null) {
                return origin;
            }
        }
        return origins.entrySet().stream()
                .filter(e -> e.getKey().startsWith(key + "."))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(DEFAULTS);
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
    }

    private static String pathOf(JsonProcessingException e) {
        return e instanceof JsonMappingException m ? pathOf(m) : "";
    }

    static String firstLine(String message) {
        return message == null ? "" : message.strip().lines().findFirst().orElse("");
    }

    private record FlagValue(String source, String key, String value) {
    }
}
