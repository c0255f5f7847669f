package dev.grace.cli;

import dev.grace.runtime.config.ConfigLoader;
import dev.grace.runtime.config.GraceConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags every command that builds a runtime shares, and how they turn into a {@link GraceConfig}. */
final class ConfigOptions {

    /** Names the config file when {@code --config} does not. */
    static final String CONFIG_ENV = "GRACE_CONFIG";

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML (.yaml, .yml) or JSON (.json) config file. Default: $" + CONFIG_ENV + " if set, else none.")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the runtime keeps its data (key dataDir).")
    String dataDir;

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "Directory scanned for plugin jars (key pluginsDirs); repeat for several. Replaces the configured list.")
    List<String> pluginsDirs;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Sets any config key by its dotted path, e.g. publisher.latenessLimit=3h or plugins.example.interval=10s."
                    + " Repeatable; overrides the file and the environment.")
    Map<String, String> sets = new LinkedHashMap<>();

    /** Defaults, then the file, then {@code GRACE_*} variables, then {@code --set}, then the dedicated flags. */
    GraceConfig load(Map<String, String> env) {
        return load(env, null);
    }

    /** {@link #load(Map)} with {@code --plugins} as {@code plugins.enabled}. */
    GraceConfig load(Map<String, String> env, PluginChoice choice) {
        Path file = config;
        if (file == null && env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank()) {
            file = Path.of(env.get(CONFIG_ENV));
        }
        ConfigLoader loader = ConfigLoader.create().file(file).env(env).overrides("--set", sets);
        if (pluginsDirs != null) {
            loader.override("--plugins-dir", "pluginsDirs", String.join(",", pluginsDirs));
        }
        if (choice != null && choice.enabled() != null) {
            loader.override("--plugins", "plugins.enabled", choice.enabled());
        }
        if (dataDir != null) {
            loader.override("--data-dir", "dataDir", dataDir);
        }
        return loader.load();
    }
}
