package dev.grace.runtime.internal.vetting;

import dev.grace.runtime.internal.isolation.PluginClassLoader;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a plugin's class files with ClassGraph, without loading or running any of them, and finds
 * what the runtime refuses: a reference to a denied class or package (by default the runtime's
 * internals and the JDK's). It also names the shared packages (grace-api, jakarta.inject, SLF4J) a
 * plugin bundled, which its class loader ignores in favour of the runtime's copy.
 *
 * <p>This guards against mistakes and accidental coupling, not against a malicious plugin: reflection,
 * method handles and class names built at run time are invisible to it.
 */
public final class PluginVetting {

    private static final List<String> SHARED = List.of("dev.grace.api", "jakarta.inject", "org.slf4j");

    /** A class of the plugin that references a denied class. */
    public record Finding(String className, String references, String denied) {
        @Override
        public String toString() {
            return className + " references " + references + " (denied: " + denied + ")";
        }
    }

    /** What vetting found: refusals (empty when accepted) and the shared packages bundled. */
    public record Report(List<Finding> findings, Set<String> bundledSharedPackages) {
        public boolean refused() {
            return !findings.isEmpty();
        }
    }

    private final List<String> deny;

    /** @param deny class names and packages (a package covers its sub-packages) a plugin may not reference */
    public PluginVetting(List<String> deny) {
        this.deny = List.copyOf(deny);
    }

    /** Scans the jars of one plugin. Every file ClassGraph opened is closed when this returns. */
    public Report vet(List<Path> jars) {
        List<Finding> findings = new ArrayList<>();
        Set<String> bundled = new TreeSet<>();
        try (ScanResult scan = new ClassGraph()
                .overrideClasspath(jars.stream().map(Path::toString).toList())
                .enableExternalClasses()
                .enableInterClassDependencies()
                .ignoreClassVisibility()
                .scan(1)) {
            for (ClassInfo c : scan.getAllClasses()) {
                if (c.isExternalClass()) {
                    continue;
                }
                String pkg = c.getPackageName();
                if (matchesAny(pkg, SHARED) != null) {
                    bundled.add(pkg);
                    continue;   // a bundled copy of a shared library is not the plugin's own code
                }
                for (ClassInfo ref : c.getClassDependencies()) {
                    String denied = matchesAny(ref.getName(), deny);
                    if (denied != null) {
                        findings.add(new Finding(c.getName(), ref.getName(), denied));
                    }
                }
            }
        }
        findings.sort(java.util.Comparator.comparing(Finding::className).thenComparing(Finding::references));
        return new Report(List.copyOf(findings), Set.copyOf(bundled));
    }

    private static String matchesAny(String name, List<String> prefixes) {
        for (String p : prefixes) {
            if (name.equals(p) || name.startsWith(p + ".") || name.startsWith(p + "$")) {
                return p;
            }
        }
        return null;
    }

    static {
        // SHARED must stay within what the loader takes parent-first, or the warning would lie.
        for (String s : SHARED) {
            if (!PluginClassLoader.parentFirst(s + ".")) {
                throw new IllegalStateException(s + " is not parent-first");
            }
        }
    }
}
