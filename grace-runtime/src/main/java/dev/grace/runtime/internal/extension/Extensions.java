package dev.grace.runtime.internal.extension;

import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.RuntimeEvents;
import dev.grace.runtime.extension.RuntimeExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's extensions: found with {@link ServiceLoader} and given by the host (the host's
 * replace discovered ones of the same name), ordered so that each starts after what it requires,
 * and the services, raw-event sinks and event listeners they register.
 */
public final class Extensions {

    private static final Logger LOG = LoggerFactory.getLogger(Extensions.class);

    private final List<RuntimeExtension> ordered;
    private final List<RuntimeExtension> started = new ArrayList<>();
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    private final List<RawEventSink> sinks = new CopyOnWriteArrayList<>();
    private final List<RuntimeEvents> listeners = new CopyOnWriteArrayList<>();

    /**
     * @throws IllegalStateException naming the extension and what it requires, when a requirement is
     *                               missing or extensions require each other in a cycle
     */
    public Extensions(List<RuntimeExtension> given, boolean discover, ClassLoader loader) {
        Map<String, RuntimeExtension> byName = new TreeMap<>();
        if (discover) {
            for (ServiceLoader.Provider<RuntimeExtension> p : ServiceLoader.load(RuntimeExtension.class, loader)
                    .stream().toList()) {
                try {
                    RuntimeExtension e = p.get();
                    byName.putIfAbsent(e.name(), e);
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    throw new IllegalStateException("extension " + p.type().getName() + " cannot be created: " + e, e);
                }
            }
        }
        for (RuntimeExtension e : given) {
            byName.put(e.name(), e);
        }
        this.ordered = order(byName);
    }

    /** Requirements first; otherwise by name, so the order never depends on the classpath. */
    private static List<RuntimeExtension> order(Map<String, RuntimeExtension> byName) {
        List<RuntimeExtension> out = new ArrayList<>();
        Map<String, Boolean> state = new LinkedHashMap<>(); // false: visiting, true: done
        for (String name : byName.keySet()) {
            visit(name, null, byName, state, out);
        }
        return List.copyOf(out);
    }

    private static void visit(String name, String by, Map<String, RuntimeExtension> byName, Map<String, Boolean> state,
                              List<RuntimeExtension> out) {
        Boolean s = state.get(name);
        if (Boolean.TRUE.equals(s)) {
            return;
        }
        if (Boolean.FALSE.equals(s)) {
            throw new IllegalStateException("extensions require each other in a cycle through " + name);
        }
        RuntimeExtension e = byName.get(name);
        if (e == null) {
            throw new IllegalStateException("extension " + by + " requires extension " + name
                    + ", which is not attached (add its module, for example dev.grace:grace-" + name + ")");
        }
        state.put(name, false);
        for (String r : e.requires()) {
            visit(r, name, byName, state, out);
        }

        state.put(name, true);
        out.add(e);
    }

    /** Whether an extension of this name is attached. */
    public boolean has(String name) {
        return ordered.stream().anyMatch(e -> e.name().equals(name));
    }

    /** The names, in start order. */
    public List<String> names() {
        return ordered.stream().map(RuntimeExtension::name).toList();
    }

    /**
     * Starts every extension in order. When one throws, those started are stopped and closed, in
     * reverse, and its exception is rethrown.
     */
    public void start(Consumer<RuntimeExtension> starter) {
        for (RuntimeExtension e : ordered) {
            try {
                starter.accept(e);
                started.add(e);
            } catch (RuntimeException failure) {
                stopping();
                close();
                throw failure;
            }
        }
    }

    public void pluginsStarted(List<PluginStatus> plugins) {
        for (RuntimeExtension e : started) {
            guarded(e, "after plugins started", () -> e.pluginsStarted(plugins));
        }
    }

    public void stopping() {
        for (int i = started.size() - 1; i >= 0; i--) {
            RuntimeExtension e = started.get(i);
            guarded(e, "stopping", e::stopping);
        }
    }

    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            RuntimeExtension e = started.get(i);
            guarded(e, "closing", e::close);
        }
        started.clear();
    }

    private static void guarded(RuntimeExtension e, String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | LinkageError failure) {
            LOG.error("extension {} failed {}: {}", e.name(), what, failure.toString(), failure);
        }
    }

    public <T> void provide(Class<T> type, T service) {
        services.put(type, type.cast(service));
    }

    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }

    public void addSink(RawEventSink sink) {
        sinks.add(sink);
    }

    public List<RawEventSink> sinks() {
        return sinks;
    }

    public void addListener(RuntimeEvents events) {
        listeners.add(events);
    }

    /** The host's listener, then every extension's. */
    public RuntimeEvents events(RuntimeEvents host) {
        return new RuntimeEvents() {
            @Override
            public void pluginRefused(String plugin, String source, String reason) {
                host.pluginRefused(plugin, source, reason);
                listeners.forEach(l -> l.pluginRefused(plugin, source, reason));
            }

            @Override
            public void pluginRestarted(String plugin, int restart, String reason) {
                host.pluginRestarted(plugin, restart, reason);
                listeners.forEach(l -> l.pluginRestarted(plugin, restart, reason));
            }

            @Override
            public void pluginQuarantined(String plugin, String reason) {
                host.pluginQuarantined(plugin, reason);
                listeners.forEach(l -> l.pluginQuarantined(plugin, reason));
            }
        };
    }
}
