package dev.grace.runtime.internal.discovery;

import dev.grace.api.DomainPlugin;
import dev.grace.runtime.internal.isolation.PluginClassLoader;
import dev.grace.runtime.internal.vetting.PluginCheck;
import dev.grace.runtime.internal.vetting.PluginVetting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds plugin providers with {@link ServiceLoader#stream()}, on the classpath and in plugin
 * directories (each jar, or each folder of jars, with a {@link PluginClassLoader} of its own), without
 * instantiating anything. A jar is checked ({@link PluginCheck}: manifest, API range, vetting) before
 * its loader is even created. A provider that cannot even be listed (a services entry naming a
 * missing class, say) or a refused jar becomes a {@link Failure}, and discovery goes on with the next.
 */
public final class PluginDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(PluginDiscovery.class);

    /**
     * A provider that failed, or a jar that was refused, before anything could be instantiated.
     *
     * @param what  the plugin id when the manifest gave one, else what failed ({@code provider}, {@code plugin jar})
     * @param cause one line
     */
    public record Failure(String origin, String what, String cause) {
        static Failure thrown(String origin, String what, Throwable t) {
            return new Failure(origin, what, describe(t));
        }
    }

    /** Providers found and failures met. */
    public record Result(List<PluginSource> sources, List<Failure> failures) {
    }

    private PluginDiscovery() {
    }

    /** Providers visible to {@code loader}: the classpath. */
    public static Result classpath(ClassLoader loader) {
        List<PluginSource> sources = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        scan("classpath", loader, null, null, sources, failures);
        return new Result(sources, failures);
    }

    /**
     * Providers in each plugin directory: every {@code *.jar} directly inside is one plugin, and
     * every sub-folder holding jars is one plugin made of those jars. A missing directory is no error.
     */
    public static Result directories(List<Path> dirs, ClassLoader parent, PluginVetting vetting, String apiVersion) {
        List<PluginSource> sources = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                LOG.debug("plugins directory {} does not exist; nothing loaded from it", dir);
                continue;
            }
            List<Path> entries;
            try (Stream<Path> list = Files.list(dir)) {
                entries = list.sorted().toList();
            } catch (IOException e) {
                failures.add(Failure.thrown(dir.toString(), "plugins directory", e));
                continue;
            }
            for (Path entry : entries) {
                List<Path> jars = jarsOf(entry, failures);
                if (!jars.isEmpty()) {
                    loadPlugin(entry, jars, parent, vetting, apiVersion, sources, failures);
                }
            }
        }
        return new Result(sources, failures);
    }

    private static List<Path> jarsOf(Path entry, List<Failure> failures) {
        try {
            return jarsOf(entry);
        } catch (IOException e) {
            failures.add(Failure.thrown(entry.toString(), "plugin folder", e));
            return List.of();
        }
    }

    /** The jars of one plugin: {@code entry} itself if it is a jar, the jars directly inside if it is a folder. */
    public static List<Path> jarsOf(Path entry) throws IOException {
        if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
            return List.of(entry);
        }
        if (!Files.isDirectory(entry)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(entry)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void loadPlugin(Path entry, List<Path> jars, ClassLoader parent, PluginVetting vetting,
                                   String apiVersion, List<PluginSource> sources, List<Failure> failures) {
        PluginCheck check = PluginCheck.of(entry, jars, vetting, apiVersion);
        String what = check.manifest() != null ? check.manifest().id() : entry.getFileName().toString();
        if (check.refused()) {
            failures.add(new Failure(entry.toString(), what, "refused: " + String.join("; ", check.refusals())));
            return;
        }
        check.warnings().forEach(w -> LOG.warn("{}: {}", entry, w));
        URL[] urls = new URL[jars.size()];
        try {
            for (int i = 0; i < urls.length; i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
        } catch (MalformedURLException e) {
            failures.add(Failure.thrown(entry.toString(), what, e));
            return;
        }
        PluginClassLoader loader = new PluginClassLoader("grace-plugin:" + entry.getFileName(), urls, parent);
        int before = sources.size();
        int failuresBefore = failures.size();
        scan(entry.toString(), loader, loader, check, sources, failures);
        if (sources.size() == before) {
            if (failures.size() == failuresBefore) {
                failures.add(new Failure(entry.toString(), what, "java.lang.IllegalStateException: no META-INF/services/"
                        + DomainPlugin.class.getName() + " entry in " + entry.getFileName()));
            }
            closeQuietly(loader);
        }
        for (PluginSource source : sources.subList(before, sources.size())) {
            source.ownLoader().hold();
        }
    }

    private static void scan(String origin, ClassLoader loader, PluginClassLoader own, PluginCheck check,
                             List<PluginSource> sources, List<Failure> failures) {
        Iterator<ServiceLoader.Provider<DomainPlugin>> it =
                ServiceLoader.load(DomainPlugin.class, loader).stream().iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                ServiceLoader.Provider<DomainPlugin> provider = it.next();
                // A plugin jar's loader also sees the classpath's providers through its parent: keep only its own.
                if (own != null && provider.type().getClassLoader() != own) {
                    continue;
                }
                sources.add(PluginSource.of(origin, provider, loader, own,
                        check == null ? null : check.manifest(), check == null ? List.of() : check.warnings()));
            } catch (ServiceConfigurationError | LinkageError e) {
                // Named after the plugin when its manifest says which, so the failure is listed under its id.
                failures.add(Failure.thrown(origin,
                        check != null && check.manifest() != null ? check.manifest().id() : "provider", e));
            }
        }
    }

    /** One line: the exception's class and first message line, and its root cause's. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "an unknown error";
        }
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        if (t.getMessage() != null) {
            sb.append(": ").append(t.getMessage().lines().findFirst().orElse(""));
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != t) {
            sb.append(" (caused by ").append(root.getClass().getName());
            if (root.getMessage() != null) {
                sb.append(": ").append(root.getMessage().lines().findFirst().orElse(""));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** Closes a loader, logging rather than throwing. */
    static void closeQuietly(URLClassLoader loader) {
        if (loader == null) {
            return;
        }
        try {
            loader.close();
        } catch (IOException e) {
            LOG.warn("closing class loader {} failed", loader.getName(), e);
        }
    }
}
