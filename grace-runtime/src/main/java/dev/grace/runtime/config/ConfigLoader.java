package dev.grace.runtime.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.grace.runtime.config.ConfigKeys.Kind;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
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
 */
public final class ConfigLoader {

    private static final ConfigKeys KEYS = ConfigKeys.of(GraceConfig.class);
    private static final Pattern PLUGIN_ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern ENV_PART = Pattern.compile("[A-Z0-9]+(_[A-Z0-9]+)*");
    private static final String ENV_PREFIX = "GRACE_";
    private static final String PLUGIN_ENV_PREFIX = "GRACE_PLUGINS__";
    private static final String DEFAULTS = "defaults";

    private static final ObjectMapper JSON = strict(JsonMapper.builder()).build();
    private static final ObjectMapper YAML = strict(YAMLMapper.builder()).build();
    private static final ObjectNode DEFAULT_TREE = JSON.valueToTree(GraceConfig.defaults());
    private static final Map<String, String> KEY_BY_ENV = KEYS.valueKeys().stream()
            .collect(Collectors.toMap(ConfigKeys::envName, k -> k, (a, b) -> a, LinkedHashMap::new));

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
            settings.addAll(fromFile(file));
        }
        settings.addAll(fromEnv(env));
        for (FlagValue o : overrides) {
            settings.add(fromText(dottedKey(o.key(), o.source()), o.value(), o.source()));
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
            StringBuilder sb = new StringBuilder(PLUGIN_ENV_PREFIX)
                    .append(path.get(1).toUpperCase(Locale.ROOT).replace('-', '_'));
            path.subList(2, path.size()).forEach(k -> sb.append("__").append(ConfigKeys.upperSnake(k)));
            return sb.toString();
        }
        return ConfigKeys.envName(key);
    }

    // --- the layers ---------------------------------------------------------------------------

    private static List<Setting> fromFile(Path file) {
        String source = file.toString();
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper;
        String format;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            mapper = YAML;
            format = "YAML";
        } else if (name.endsWith(".json")) {
            mapper = JSON;
            format = "JSON";
        } else {
            throw ConfigException.in(source, "unsupported kind of file, expected a .yaml, .yml or .json file");
        }
        if (!Files.exists(file)) {
            throw ConfigException.in(source, "no such file");
        }
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw ConfigException.in(source, "malformed " + format + location(e) + ": " + problem(e));
        } catch (AccessDeniedException e) {
            throw ConfigException.in(source, "cannot read the file: permission denied");
        } catch (IOException e) {
            throw ConfigException.in(source, "cannot read the file: " + (e.getMessage() == null ? e : e.getMessage()));
        }
        List<Setting> settings = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return settings; // an empty file: nothing to override
        }
        if (!root.isObject()) {
            throw ConfigException.in(source, "expected a map of keys at the top level, got " + describe(root));
        }
        readSection(root, List.of(), source, settings);
        return settings;
    }

    private static void readSection(JsonNode section, List<String> at, String source, List<Setting> out) {
        for (Map.Entry<String, JsonNode> field : section.properties()) {
            List<String> path = append(at, field.getKey());
            String key = String.join(".", path);
            Kind kind = KEYS.kind(key).orElseThrow(() -> unknownKey(source, path));
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            switch (kind) {
                case SECTION -> {
                    if (!value.isObject()) {
                        throw ConfigException.at(source, key, "expected a map of its keys ("
                                + String.join(", ", KEYS.children(key)) + "), got " + describe(value));
                    }
                    readSection(value, path, source, out);
                }
                case PLUGINS -> readPlugins(value, source, out);
                default -> out.add(new Setting(path, typed(kind, value, false, source, key), source));
            }
        }
    }

    private static void readPlugins(JsonNode plugins, String source, List<Setting> out) {
        if (!plugins.isObject()) {
            throw ConfigException.at(source, ConfigKeys.PLUGINS, "expected " + Kind.PLUGINS.expected()
                    + ", got " + describe(plugins));
        }
        for (Map.Entry<String, JsonNode> plugin : plugins.properties()) {
            requirePluginId(plugin.getKey(), source);
            JsonNode section = plugin.getValue();
            if (section.isNull()) {
                continue;
            }
            if (!section.isObject()) {
                throw ConfigException.at(source, ConfigKeys.PLUGINS + "." + plugin.getKey(),
                        "expected a map of the plugin's keys, got " + describe(section));
            }
            readFreeForm(section, List.of(ConfigKeys.PLUGINS, plugin.getKey()), source, out);
        }
    }

    /** Plugin sections are the plugin's business: only split into leaves, so that layers merge key by key. */
    private static void readFreeForm(JsonNode section, List<String> at, String source, List<Setting> out) {
        for (Map.Entry<String, JsonNode> field : section.properties()) {
            JsonNode value = field.getValue();
            List<String> path = append(at, field.getKey());
            if (value.isNull()) {
                continue;
            } else if (value.isObject() && !value.isEmpty()) {
                readFreeForm(value, path, source, out);
            } else {
                out.add(new Setting(path, value.deepCopy(), source));
            }
        }
    }

    private static List<Setting> fromEnv(Map<String, String> env) {
        List<Setting> settings = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || isNotConfig(name) || e.getValue() == null || e.getValue().isEmpty()) {
                continue;
            }
            settings.add(fromText(envPath(name), e.getValue(), name));
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

    private static List<String> dottedKey(String key, String source) {
        List<String> path = List.of(key.split("\\.", -1));
        if (path.stream().anyMatch(s -> s.isBlank() || !s.strip().equals(s))) {
            throw ConfigException.in(source, "\"" + key + "\" is not a key; write a dotted path such as"
                    + " publisher.latenessLimit");
        }
        return path;
    }

    /** A value written as text, in a variable or a flag: read by the key's type. */
    private static Setting fromText(List<String> path, String text, String source) {
        String key = String.join(".", path);
        if (path.get(0).equals(ConfigKeys.PLUGINS)) {
            if (path.size() < 3) {
                throw ConfigException.at(source, key, "is a section; set one plugin key at a time, as plugins.<id>.<key>");
            }
            requirePluginId(path.get(1), source);
            return new Setting(path, TextNode.valueOf(text), source);
        }
        Kind kind = KEYS.kind(key).orElseThrow(() -> unknownKey(source, path));
        if (kind == Kind.SECTION) {
            throw ConfigException.at(source, key, "is a section; set one of its keys: " + KEYS.children(key).stream()
                    .map(k -> key + "." + k).collect(Collectors.joining(", ")));
        }
        return new Setting(path, typed(kind, TextNode.valueOf(text), true, source, key), source);
    }

    // --- checking values ----------------------------------------------------------------------

    /**
     * Checks a value against its key's kind and returns it in the form the conversion expects.
     * Text from variables and flags is parsed; a file's value must already have the right type.
     */
    private static JsonNode typed(Kind kind, JsonNode value, boolean fromText, String source, String key) {
        switch (kind) {
            case TEXT -> {
                if (value.isTextual()) {
                    return value;
                }
            }
            case PATH -> {
                if (value.isTextual() && isPath(value.asText())) {
                    return value;
                }
            }
            case PATH_LIST, TEXT_LIST -> {
                if (value.isTextual() || (value.isArray() && !fromText)) {
                    ArrayNode list = JsonNodeFactory.instance.arrayNode();
                    List<JsonNode> items = new ArrayList<>();
                    if (value.isTextual()) {
                        for (String part : value.asText().split(",")) {
                            if (!part.isBlank()) {
                                items.add(TextNode.valueOf(part.strip()));
                            }
                        }
                    } else {
                        value.forEach(items::add);
                    }
                    for (int i = 0; i < items.size(); i++) {
                        JsonNode item = items.get(i);
                        if (!item.isTextual() || (kind == Kind.PATH_LIST && !isPath(item.asText()))) {
                            throw ConfigException.at(source, key, "expected " + kind.expected() + ", got "
                                    + describe(item) + " as item " + (i + 1));
                        }
                        list.add(item);
                    }
                    return list;
                }
            }
            case DURATION -> {
                if (value.isTextual()) {
                    try {
                        Durations.parse(value.asText());
                        return value;
                    } catch (IllegalArgumentException e) {
                        // reported below, with the source and key
                    }
                }
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    return value;
                }
                if (fromText && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
                    return BooleanNode.valueOf(value.asText().equalsIgnoreCase("true"));
                }
            }
            case INTEGER -> {
                if (value.isIntegralNumber() && value.canConvertToInt()) {
                    return IntNode.valueOf(value.intValue());
                }
                if (fromText) {
                    try {
                        return IntNode.valueOf(Integer.parseInt(value.asText().strip()));
                    } catch (NumberFormatException e) {
                        // reported below, with the source and key
                    }
                }
            }
            case DECIMAL -> {
                if (value.isNumber() && Double.isFinite(value.doubleValue())) {
                    return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(value.doubleValue());
                }
                if (fromText) {
                    try {
                        double d = Double.parseDouble(value.asText().strip());
                        if (Double.isFinite(d)) {
                            return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(d);
                        }
                    } catch (NumberFormatException e) {
                        // reported below, with the source and key
                    }
                }
            }
            default -> throw new IllegalStateException("no value check for " + kind + " at " + key);
        }
        throw ConfigException.at(source, key, "expected " + kind.expected() + ", got " + describe(value));
    }

    private static boolean isPath(String text) {
        if (text.isBlank()) {
            return false;
        }
        try {
            Path.of(text);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static void requirePluginId(String id, String source) {
        if (!PLUGIN_ID.matcher(id).matches()) {
            throw ConfigException.at(source, ConfigKeys.PLUGINS + "." + id,
                    "\"" + id + "\" is not a plugin id (ids match " + PLUGIN_ID.pattern() + ")");
        }
    }

    private static ConfigException unknownKey(String source, List<String> path) {
        String section = "";
        for (int i = 1; i < path.size(); i++) {
            String prefix = String.join(".", path.subList(0, i));
            if (KEYS.kind(prefix).orElse(null) != Kind.SECTION) {
                break;
            }
            section = prefix;
        }
        String key = String.join(".", path);
        String known = section.isEmpty() ? "known keys: " : "known keys under " + section + ": ";
        return new ConfigException(source, key, source + ": unknown key " + key
                + " (" + known + String.join(", ", KEYS.children(section)) + ")");
    }

    /** A value as a person would recognise it in a one-line message. */
    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return value.toString(); // quoted and escaped, so the message stays on one line
        } else if (value.isArray()) {
            return "a list";
        } else if (value.isObject()) {
            return "a map";
        } else if (value.isNull() || value.isMissingNode()) {
            return "nothing";
        }
        return value.asText();
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
            return JSON.treeToValue(tree, GraceConfig.class);
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
        String key = KEYS.valueKeys().stream()
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

    private static String location(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /**
     * The parser's complaint without its location (we print our own) and on one line. SnakeYAML's
     * messages span several lines with context and a caret; the last plain line is the problem.
     */
    private static String problem(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        String problem = null;
        for (String line : message.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("in '") && !l.startsWith("at [") && !l.equals("^")
                    && !line.startsWith("    ")) {
                problem = l;
            }
        }
        return problem == null ? firstLine(message) : problem;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.strip().lines().findFirst().orElse("");
    }

    private static List<String> append(List<String> path, String segment) {
        List<String> longer = new ArrayList<>(path);
        longer.add(segment);
        return List.copyOf(longer);
    }

    // --- the mapper ---------------------------------------------------------------------------

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
        SimpleModule module = new SimpleModule("grace-config")
                .addSerializer(Path.class, ToStringSerializer.instance)
                .addSerializer(Duration.class, new StdScalarSerializer<>(Duration.class) {
                    @Override
                    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                        gen.writeString(Durations.format(value));
                    }
                })
                .addDeserializer(Path.class, new StdScalarDeserializer<>(Path.class) {
                    @Override
                    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        if (p.currentToken() != JsonToken.VALUE_STRING) {
                            return (Path) ctxt.handleUnexpectedToken(Path.class, p);
                        }
                        return Path.of(p.getText());
                    }
                })
                .addDeserializer(Duration.class, new StdScalarDeserializer<>(Duration.class) {
                    @Override
                    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        if (p.currentToken() != JsonToken.VALUE_STRING) {
                            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
                        }
                        return Durations.parse(p.getText());
                    }
                });
        return builder
                .addModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    private record Setting(List<String> path, JsonNode value, String source) {
    }

    private record FlagValue(String source, String key, String value) {
    }
}
