package dev.grace.runtime;

import dev.grace.api.DomainPlugin;
import dev.grace.api.GraceApi;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.discovery.PluginDiscovery;
import dev.grace.runtime.internal.vetting.PluginCheck;
import dev.grace.runtime.internal.vetting.PluginVetting;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * What the runtime would decide about a plugin jar or folder of jars, found without running any of
 * its code: its manifest, its grace-api range against this runtime's version, vetting against the
 * deny-list, and whether it registers a provider at all. The same checks discovery runs; what needs
 * the plugin's own code (its {@code info()} agreeing with the manifest, KPI conflicts, dependencies
 * being present) is checked only when it is loaded.
 *
 * @param path      the jar or folder checked
 * @param pluginId  the manifest's {@code Grace-Plugin-Id}; null when there is none
 * @param apiRange  the manifest's {@code Grace-Api-Range}; null when there is none
 * @param requires  the manifest's {@code Grace-Requires}: plugin id to range ("" for any)
 * @param providers the classes listed in {@code META-INF/services/dev.grace.api.DomainPlugin}
 * @param refusals  why the runtime would refuse it, one line each; empty when it would load it
 * @param warnings  what it would warn about
 */
public record PluginVerification(Path path, String pluginId, String apiRange, Map<String, String> requires,
                                 List<String> providers, List<String> refusals, List<String> warnings) {

    public PluginVerification {
        requires = requires == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requires));
        providers = List.copyOf(providers);
        refusals = List.copyOf(refusals);
        warnings = List.copyOf(warnings);
    }

    /** Whether the runtime would refuse it. */
    public boolean refused() {
        return !refusals.isEmpty();
    }

    /**
     * Checks a plugin jar, or a folder of jars, with the deny-list of {@code config}.
     *
     * @throws IllegalArgumentException when {@code path} is neither a jar nor a folder holding jars
     */
    public static PluginVerification of(Path path, GraceConfig config) {
        List<Path> jars;
        try {
            jars = PluginDiscovery.jarsOf(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot list the folder: " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new IllegalArgumentException(path + (Files.exists(path)
                    ? ": not a plugin jar (*.jar) or a folder holding jars" : ": no such file or directory"));
        }
        PluginCheck check = PluginCheck.of(path, jars, new PluginVetting(config.vetting().deny()), GraceApi.version());
        List<String> refusals = new ArrayList<>(check.refusals());
        List<String> providers = new ArrayList<>();
        for (Path jar : jars) {
            try {
                providers.addAll(providers(jar));
            } catch (IOException e) {
                refusals.add("cannot read " + jar.getFileName() + ": " + e.getMessage());
            }
        }
        if (providers.isEmpty() && refusals.isEmpty()) {
            refusals.add("no META-INF/services/" + DomainPlugin.class.getName() + " entry in " + path.getFileName());
        }
        var m = check.manifest();
        return new PluginVerification(path, m == null ? null : m.id(), m == null ? null : m.apiRange(),
                m == null ? Map.of() : m.requires(), providers, refusals, check.warnings());
    }

    private static List<String> providers(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            ZipEntry services = file.getEntry("META-INF/services/" + DomainPlugin.class.getName());
            if (services == null) {
                return List.of();
            }
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(file.getInputStream(services), StandardCharsets.UTF_8))) {
                return in.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
            }
        }
    }
}
