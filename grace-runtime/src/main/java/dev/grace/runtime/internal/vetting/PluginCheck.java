package dev.grace.runtime.internal.vetting;

import dev.grace.api.PluginInfo;
import dev.grace.runtime.internal.discovery.PluginManifest;
import dev.grace.runtime.internal.discovery.VersionRange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything checked about a plugin jar or folder before any of its code runs: its manifest, its
 * grace-api range against the runtime's version, and vetting. Discovery and {@code grace plugins
 * verify} both go through here, so they never disagree.
 *
 * @param manifest  the plugin's manifest; null when it has none (then the API range is checked
 *                  after construction, from {@code info()})
 * @param refusals  why the plugin is refused, one line each; empty when it is accepted
 * @param warnings  what is worth a warning but not a refusal (bundled shared packages)
 */
public record PluginCheck(PluginManifest manifest, List<String> refusals, List<String> warnings) {

    /** How many findings a refusal names before it says "and N more". */
    private static final int SHOWN = 3;

    public PluginCheck {
        refusals = List.copyOf(refusals);
        warnings = List.copyOf(warnings);
    }

    public boolean refused() {
        return !refusals.isEmpty();
    }

    /** Checks one plugin made of {@code jars} (found at {@code entry}). */
    public static PluginCheck of(Path entry, List<Path> jars, PluginVetting vetting, String apiVersion) {
        List<String> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        PluginManifest manifest = null;
        try {
            manifest = PluginManifest.read(jars);
        } catch (IOException e) {
            refusals.add("cannot read the manifest of " + entry.getFileName() + ": " + e);
        } catch (IllegalArgumentException e) {
            refusals.add("the manifest of " + entry.getFileName() + " is malformed: " + e.getMessage());
        }
        String who = manifest != null ? "plugin " + manifest.id() : entry.getFileName().toString();
        if (manifest != null) {
            refusals.addAll(manifestProblems(manifest));
        }
        if (manifest != null && manifest.apiRange() != null && refusals.isEmpty()) {
            String problem = apiRangeProblem(manifest.id(), manifest.apiRange(), apiVersion);
            if (problem != null) {
                refusals.add(problem);
            }
        }
        if (refusals.isEmpty()) {
            PluginVetting.Report report;
            try {
                report = vetting.vet(jars);
            } catch (RuntimeException e) {
                report = null;
                refusals.add("cannot read the classes of " + entry.getFileName() + ": " + e);
            }
            if (report != null) {
                if (report.refused()) {
                    List<PluginVetting.Finding> f = report.findings();
                    refusals.add(who + " references classes a plugin may not use: "
                            + f.stream().limit(SHOWN).map(Object::toString).collect(Collectors.joining("; "))
                            + (f.size() > SHOWN ? "; and " + (f.size() - SHOWN) + " more" : ""));
                }
                if (!report.bundledSharedPackages().isEmpty()) {
                    warnings.add(who + " bundles " + String.join(", ", report.bundledSharedPackages())
                            + "; the runtime's copy is used instead (declare these dependencies as provided)");
                }
            }
        }
        return new PluginCheck(manifest, refusals, warnings);
    }

    /**
     * What is malformed in a manifest, one line each naming the attribute, the jar and what would be
     * right: an id that is no plugin id, an API range that does not parse, a required plugin whose id or
     * range is malformed.
     */
    static List<String> manifestProblems(PluginManifest m) {
        List<String> problems = new ArrayList<>();
        String where = " in the manifest of " + m.jar().getFileName() + ": ";
        if (!PluginInfo.isValidId(m.id())) {
            problems.add(PluginManifest.ID + where + PluginInfo.idProblem(m.id()));
        }
        if (m.apiRange() != null) {
            try {
                VersionRange.parse(m.apiRange());
            } catch (IllegalArgumentException e) {
                problems.add(PluginManifest.API_RANGE + where + e.getMessage());
            }
        }
        m.requires().forEach((id, range) -> {
            if (!PluginInfo.isValidId(id)) {
                problems.add(PluginManifest.REQUIRES + where + "required " + PluginInfo.idProblem(id));
            } else if (!range.isEmpty()) {
                try {
                    VersionRange.parse(range);
                } catch (IllegalArgumentException e) {
                    problems.add(PluginManifest.REQUIRES + where + id + ": " + e.getMessage());
                }
            }
        });
        return problems;
    }

    /** Where the plugin's {@code info()} contradicts its jar's manifest, which was trusted before it ran. */
    public static String disagreement(PluginInfo info, PluginManifest m) {
        String where = " in the manifest of " + m.jar().getFileName();
        if (!info.id().equals(m.id())) {
            return "plugin " + info.id() + " declares id " + info.id() + " but " + PluginManifest.ID + " is " + m.id()
                    + where;
        }
        if (m.apiRange() != null && !info.apiRange().equals(m.apiRange().strip())) {
            return "plugin " + info.id() + " declares grace-api " + info.apiRange() + " but " + PluginManifest.API_RANGE
                    + " is " + m.apiRange() + where;
        }
        if (!info.requires().equals(m.requires())) {
            return "plugin " + info.id() + " declares requires " + info.requires() + " but " + PluginManifest.REQUIRES
                    + " says " + m.requires() + where;
        }
        return null;
    }

    /** Why {@code range} does not admit {@code apiVersion}, naming plugin, range and version; null when it does. */
    public static String apiRangeProblem(String pluginId, String range, String apiVersion) {
        VersionRange r;
        try {
            r = VersionRange.parse(range);
        } catch (IllegalArgumentException e) {
            return "plugin " + pluginId + " declares an invalid grace-api range: " + e.getMessage();
        }
        return r.contains(apiVersion) ? null
                : "plugin " + pluginId + " needs grace-api " + range + " but this runtime provides " + apiVersion;
    }
}
