package dev.grace.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.grace.runtime.config.ConfigKeys.Kind;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks keys and values against {@link GraceConfig}'s: whether a key exists and of what kind, and
 * whether a value has that kind's type (text from variables and flags is parsed by it). Every
 * problem is a one-line {@link ConfigException} naming the source and the key.
 */
final class ConfigValues {

    static final ConfigKeys KEYS = ConfigKeys.of(GraceConfig.class);
    private static final Pattern PLUGIN_ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private ConfigValues() {
    }

    static List<String> dottedKey(String key, String source) {
        List<String> path = List.of(key.split("\\.", -1));
        if (path.stream().anyMatch(s -> s.isBlank() || !s.strip().equals(s))) {
            throw ConfigException.in(source, "\"" + key + "\" is not a key; write a dotted path such as"
                    + " publisher.latenessLimit");
        }
        return path;
    }

    /** A value written as text, in a variable or a flag: read by the key's type. */
    static Setting fromText(List<String> path, String text, String source) {
        String key = String.join(".", path);
        if (key.equals(ConfigKeys.ENABLED)) {
            return enabledPlugins(TextNode.valueOf(text), true, source);
        }
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

    /**
     * Checks a value against its key's kind and returns it in the form the conversion expects.
     * Text from variables and flags is parsed; a file's value must already have the right type.
     */
    static JsonNode typed(Kind kind, JsonNode value, boolean fromText, String source, String key) {
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
            case LONG -> {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    return LongNode.valueOf(value.longValue());
                }
                if (fromText) {
                    try {
                        return LongNode.valueOf(Long.parseLong(value.asText().strip()));
                    } catch (NumberFormatException e) {
                        // reported below, with the source and key
                    }
                }
            }
            case DECIMAL -> {
                if (value.isNumber() && Double.isFinite(value.doubleValue())) {
                    return DoubleNode.valueOf(value.doubleValue());
                }
                if (fromText) {
                    try {
                        double d = Double.parseDouble(value.asText().strip());
                        if (Double.isFinite(d)) {
                            return DoubleNode.valueOf(d);
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

    /** {@code plugins.enabled}: a list of plugin ids, kept in {@link GraceConfig#enabledPlugins()}. */
    static Setting enabledPlugins(JsonNode value, boolean fromText, String source) {
        JsonNode list = typed(Kind.TEXT_LIST, value, fromText, source, ConfigKeys.ENABLED);
        for (JsonNode id : list) {
            if (!PLUGIN_ID.matcher(id.asText()).matches()) {
                throw ConfigException.at(source, ConfigKeys.ENABLED, "\"" + id.asText() + "\" is not a plugin id (ids match "
                        + PLUGIN_ID.pattern() + ")");
            }
        }
        return new Setting(List.of(ConfigKeys.ENABLED_COMPONENT), list, source);
    }

    static void requirePluginId(String id, String source) {
        if (!PLUGIN_ID.matcher(id).matches()) {
            throw ConfigException.at(source, ConfigKeys.PLUGINS + "." + id,
                    "\"" + id + "\" is not a plugin id (ids match " + PLUGIN_ID.pattern() + ")");
        }
    }

    static ConfigException unknownKey(String source, List<String> path) {
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
    static String describe(JsonNode value) {
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
}
