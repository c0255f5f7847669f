package dev.grace.runtime.internal.vetting;

import dev.grace.api.DomainPlugin;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.MethodInfo;
import io.github.classgraph.ScanResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * Checks a plugin's {@code META-INF/services/dev.grace.api.DomainPlugin} entries against its class
 * files, read with ClassGraph and never loaded: each entry must name a class in the plugin's jars that
 * implements {@link DomainPlugin}, is public and concrete, and has a public no-argument constructor —
 * what {@link java.util.ServiceLoader} needs to list and construct it. Each problem is one line naming
 * the jar, the entry and what would be right.
 *
 * @param providers every entry, in the order the jars list them
 * @param problems  one line per entry that loading would refuse; empty when every entry is fine
 */
public record ProviderEntries(List<String> providers, List<String> problems) {

    /** Where a jar lists its providers. */
    public static final String SERVICES = "META-INF/services/" + DomainPlugin.class.getName();

    private static final Pattern BINARY_NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    public ProviderEntries {
        providers = List.copyOf(providers);
        problems = List.copyOf(problems);
    }

    /** A services entry and the jar that lists it. */
    private record Entry(Path jar, String className) {
    }

    /**
     * Reads the entries of every jar of one plugin and checks each against the classes of all of them
     * (a plugin made of a folder of jars may list a class that another of its jars holds).
     *
     * @throws IOException when a jar cannot be read
     */
    public static ProviderEntries check(List<Path> jars) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path jar : jars) {
            for (String name : read(jar)) {
                entries.add(new Entry(jar, name));
            }
        }
        List<String> problems = new ArrayList<>();
        if (!entries.isEmpty()) {
            try (ScanResult scan = new ClassGraph()
                    .overrideClasspath(jars.stream().map(Path::toString).toList())
                    .enableClassInfo()
                    .enableMethodInfo()
                    .enableExternalClasses()
                    .ignoreClassVisibility()
                    .ignoreMethodVisibility()
                    .scan(1)) {
                for (Entry e : entries) {
                    String problem = problem(e, scan, jars.size() > 1);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
        }
        return new ProviderEntries(entries.stream().map(Entry::className).toList(), problems);
    }

    private static String problem(Entry e, ScanResult scan, boolean severalJars) {
        String where = e.jar().getFileName() + ": " + SERVICES + " names " + e.className();
        if (!BINARY_NAME.matcher(e.className()).matches()) {
            return where + ", which is not a class name; list one fully qualified class name per line";
        }
        ClassInfo c = scan.getClassInfo(e.className());
        if (c == null || c.isExternalClass()) {
            List<String> candidates = implementations(scan);
            return where + ", which is not a class in " + e.jar().getFileName() + (severalJars ? " or the jars beside it" : "")
                    + (candidates.isEmpty()
                        ? "; add the class, or remove the entry"
                        : "; the classes there that implement " + DomainPlugin.class.getName() + ": "
                            + String.join(", ", candidates));
        }
        if (c.isInterface() || c.isAnnotation()) {
            return where + ", which is an interface; name a class that implements it";
        }
        if (!c.implementsInterface(DomainPlugin.class.getName())) {
            return where + ", which does not implement " + DomainPlugin.class.getName()
                    + "; implement it, or remove the entry";
        }
        if (c.isAbstract()) {
            return where + ", which is abstract; name a concrete subclass";
        }
        if (!c.isPublic() || (c.isInnerClass() && !c.isStatic())) {
            return where + ", which is not a public " + (c.isInnerClass() ? "static " : "") + "class;"
                    + " the runtime can construct only a public" + (c.isInnerClass() ? " static" : "") + " class";
        }
        boolean noArg = false;
        for (MethodInfo ctor : c.getDeclaredConstructorInfo()) {
            if (ctor.getParameterInfo().length == 0 && ctor.isPublic()) {
                noArg = true;
            }
        }
        if (!noArg) {
            return where + ", which has no public no-argument constructor; add one (fields can be @Inject-ed"
                    + " after construction)";
        }
        return null;
    }

    private static List<String> implementations(ScanResult scan) {
        return scan.getClassesImplementing(DomainPlugin.class.getName()).stream()
                .filter(c -> !c.isAbstract() && !c.isInterface())
                .map(ClassInfo::getName)
                .sorted()
                .toList();
    }

    private static List<String> read(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            ZipEntry services = file.getEntry(SERVICES);
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
