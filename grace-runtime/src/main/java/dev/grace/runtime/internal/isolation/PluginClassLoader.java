package dev.grace.runtime.internal.isolation;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The class loader of one plugin jar or folder of jars: child-first, so that a plugin's own
 * libraries win over whatever version the host has, except for the packages the plugin shares with
 * the runtime, which always come from the parent. A plugin that bundled its own copy of grace-api
 * would otherwise see a second {@code DomainPlugin} interface and be "not a subtype" of the first.
 */
public final class PluginClassLoader extends URLClassLoader {

    /**
     * Always loaded from the parent: the JDK, and the packages whose classes cross the boundary
     * between runtime and plugin (the API, its injection annotations, the logging API).
     */
    public static final List<String> PARENT_FIRST = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.",
            "dev.grace.api.", "jakarta.inject.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    /** Plugins (providers) of this jar still holding the loader; it closes when the last lets go. */
    private final AtomicInteger holders = new AtomicInteger();

    /**
     * @param name   shown in stack traces and logs: {@code grace-plugin:<jar or folder name>}
     * @param urls   the plugin's jars
     * @param parent the runtime's loader, which supplies the shared packages
     */
    public PluginClassLoader(String name, URL[] urls, ClassLoader parent) {
        super(name, urls, parent);
    }

    /** Whether a class (or resource, as a dotted path) always comes from the parent. */
    public static boolean parentFirst(String className) {
        for (String prefix : PARENT_FIRST) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** One more plugin from this jar uses the loader. */
    public void hold() {
        holders.incrementAndGet();
    }

    /**
     * A plugin from this jar is done with the loader (failed, stopped or quarantined). The loader
     * closes when no plugin holds it any more, so a jar with two providers keeps working for one
     * when the other is refused. Each holder lets go once.
     *
     * @return true when this closed the loader
     */
    public boolean letGo() throws IOException {
        if (holders.decrementAndGet() == 0) {
            close();
            return true;
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (parentFirst(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        if (parentFirst(name.replace('/', '.'))) {
            return super.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        // The plugin's own resources first, then the parent's: ServiceLoader lists both, and
        // discovery keeps only the providers this loader defined.
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }
}
