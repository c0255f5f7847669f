package dev.grace.runtime;

import dev.grace.api.GraceApi;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.discovery.PluginDiscovery;
import dev.grace.runtime.internal.vetting.PluginCheck;
import dev.grace.runtime.internal.vetting.PluginVetting;
import dev.grace.runtime.internal.vetting.ProviderEntries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime would decide about a plugin jar or folder of jars, found without running any of
 * its code: its manifest, its grace-api range against this runtime's version, vetting against the
 * deny-list, and whether every services entry names a public class of the plugin's jars that implements
 * {@code DomainPlugin} with a public no-argument constructor (read from its class file). The same checks
 * discovery runs, and those that loading would meet when it lists the providers; what needs
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
        requires = requires == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(requires));
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
        List<String> providers = List.of();
        try {
            ProviderEntries entries = ProviderEntries.check(jars);
            providers = entries.providers();
            refusals.addAll(entries.problems());
        } catch (IOException | RuntimeException e) {
            refusals.add("cannot read the classes of " + path.getFileName() + ": " + e.getMessage());
        }
        if (providers.isEmpty() && refusals.isEmpty()) {
            refusals.add("no " + ProviderEntries.SERVICES + " entry in " + path.getFileName()
                    + "; list the plugin's class there");
        }
        var m = check.manifest();
        return new PluginVerification(path, m == null ? null : m.id(), m == null ? null : m.apiRange(),
                m == null ? Map.of() : m.requires(), providers, refusals, check.warnings());
    }
}
