package dev.grace.runtime.internal.discovery;

import dev.grace.api.DomainPlugin;
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
 * directories (each jar, or each folder of jars, with a class loader of its own), without
 * instantiating anything. A provider that cannot even be listed (a services entry naming a missing
 * class, say) becomes a {@link Failure} and discovery goes on with the next.
 */
public final class PluginDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(PluginDiscovery.class);

    /** A provider that failed before it could be instantiated. */
    public record Failure(String origin, String what, Throwable cause) {
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
        scan("classpath", loader, null, sources, failures);
        return new Result(sources, failures);
    }

    /**
     * Providers in each plugin directory: every {@code *.jar} directly inside is one plugin, and
     * every sub-folder holding jars is one plugin made of those jars. A missing directory is no error.
     */
    public static Result directories(List<Path> dirs, ClassLoader parent) {
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
                failures.add(new Failure(dir.toString(), "plugins directory", e));
                continue;
            }
            for (Path entry : entries) {
                List<Path> jars = jarsOf(entry, failures);
                if (!jars.isEmpty()) {
                    loadPlugin(entry, jars, parent, sources, failures);
                }
            }
        }
        return new Result(sources, failures);
    }

    private static List<Path> jarsOf(Path entry, List<Failure> failures) {
        if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
            return List.of(entry);
        }
        if (!Files.isDirectory(entry)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(entry)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            failures.add(new Failure(entry.toString(), "plugin folder", e));
            return List.of();
        }
    }

    private static void loadPlugin(Path entry, List<Path> jars, ClassLoader parent, List<PluginSource> sources,
                                   List<Failure> failures) {
        URL[] urls = new URL[jars.size()];
        try {
            for (int i = 0; i < urls.length; i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
        } catch (MalformedURLException e) {
            failures.add(new Failure(entry.toString(), "plugin jar", e));
            return;
        }
        URLClassLoader loader = new URLClassLoader("grace-plugin:" + entry.getFileName(), urls, parent);
        int before = sources.size();
        int failuresBefore = failures.size();
        scan(entry.toString(), loader, loader, sources, failures);
        if (sources.size() == before) {
            if (failures.size() == failuresBefore) {
                failures.add(new Failure(entry.toString(), "plugin jar",
                        new IllegalStateException("no META-INF/services/" + DomainPlugin.class.getName()
                                + " entry in " + entry.getFileName())));
            }
            closeQuietly(loader);
        }
    }

    private static void scan(String origin, ClassLoader loader, URLClassLoader own, List<PluginSource> sources,
                             List<Failure> failures) {
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
                sources.add(PluginSource.of(origin, provider, loader, own));
            } catch (ServiceConfigurationError | LinkageError e) {
                failures.add(new Failure(origin, "provider", e));
            }
        }
    }

    /** Closes a plugin's own loader, logging rather than throwing. */
    public static void closeQuietly(URLClassLoader loader) {
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
