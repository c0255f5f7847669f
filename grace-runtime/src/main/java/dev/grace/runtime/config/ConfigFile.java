package dev.grace.runtime.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grace.runtime.config.ConfigKeys.Kind;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The file layer of {@link ConfigLoader}: one YAML or JSON file, its keys checked against
 * {@link GraceConfig}'s as they are read, plugin sections split into leaves.
 */
final class ConfigFile {

    private ConfigFile() {
    }

    /** The settings of one file; none for an empty file. */
    static List<Setting> read(Path file) {
        String source = file.toString();
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper;
        String format;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            mapper = ConfigMappers.YAML;
            format = "YAML";
        } else if (name.endsWith(".json")) {
            mapper = ConfigMappers.JSON;
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
            throw ConfigException.in(source, "expected a map of keys at the top level, got " + ConfigValues.describe(root));
        }
        readSection(root, List.of(), source, settings);
        return settings;
    }

    private static void readSection(JsonNode section, List<String> at, String source, List<Setting> out) {
        for (Map.Entry<String, JsonNode> field : section.properties()) {
            List<String> path = append(at, field.getKey());
            String key = String.join(".", path);
            Kind kind = ConfigValues.KEYS.kind(key).orElseThrow(() -> ConfigValues.unknownKey(source, path));
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            switch (kind) {
                case SECTION -> {
                    if (!value.isObject()) {
                        throw ConfigException.at(source, key, "expected a map of its keys ("
                                + String.join(", ", ConfigValues.KEYS.children(key)) + "), got " + ConfigValues.describe(value));
                    }
                    readSection(value, path, source, out);
                }
                case PLUGINS -> readPlugins(value, source, out);
                default -> out.add(new Setting(path, ConfigValues.typed(kind, value, false, source, key), source));
            }
        }
    }

    private static void readPlugins(JsonNode plugins, String source, List<Setting> out) {
        if (!plugins.isObject()) {
            throw ConfigException.at(source, ConfigKeys.PLUGINS, "expected " + Kind.PLUGINS.expected()
                    + ", got " + ConfigValues.describe(plugins));
        }
        for (Map.Entry<String, JsonNode> plugin : plugins.properties()) {
            if (plugin.getKey().equals("enabled")) {
                if (!plugin.getValue().isNull()) {
                    out.add(ConfigValues.enabledPlugins(plugin.getValue(), false, source));
                }
                continue;
            }
            ConfigValues.requirePluginId(plugin.getKey(), source);
            JsonNode section = plugin.getValue();
            if (section.isNull()) {
                continue;
            }
            if (!section.isObject()) {
                throw ConfigException.at(source, ConfigKeys.PLUGINS + "." + plugin.getKey(),
                        "expected a map of the plugin's keys, got " + ConfigValues.describe(section));
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
        return problem == null ? ConfigLoader.firstLine(message) : problem;
    }


    private static List<String> append(List<String> path, String segment) {
        List<String> longer = new ArrayList<>(path);
        longer.add(segment);
        return List.copyOf(longer);
    }
}
