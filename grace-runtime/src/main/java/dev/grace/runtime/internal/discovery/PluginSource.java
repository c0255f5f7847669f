package dev.grace.runtime.internal.discovery;

import dev.grace.api.DomainPlugin;

import dev.grace.runtime.internal.isolation.PluginClassLoader;

import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * One provider found by discovery, not yet instantiated: where it came from, its class name, the
 * loader to run it under, and how to construct it.
 *
 * @param origin   {@code classpath}, {@code host}, or the jar or folder it was loaded from
 * @param provider the implementation class name (or the services-file entry when the class could not load)
 * @param loader   the class loader to set as context class loader on every call into the plugin
 * @param factory  constructs the plugin; may throw anything, including {@link java.util.ServiceConfigurationError}
 * @param ownLoader the loader created for this plugin's jar, let go of on every failure path (it closes
 *                  when no plugin of the jar holds it); null for classpath and host
 * @param manifest the jar's manifest declarations; null for classpath and host plugins and jars without them
 * @param warnings what vetting warned about
 */
public record PluginSource(String origin, String provider, ClassLoader loader, Supplier<DomainPlugin> factory,
                           PluginClassLoader ownLoader, PluginManifest manifest, List<String> warnings) {

    public PluginSource {
        warnings = List.copyOf(warnings);
    }

    /** A plugin the host made or the classpath holds: no loader, manifest or warnings of its own. */
    public PluginSource(String origin, String provider, ClassLoader loader, Supplier<DomainPlugin> factory) {
        this(origin, provider, loader, factory, null, null, List.of());
    }

    static PluginSource of(String origin, ServiceLoader.Provider<DomainPlugin> p, ClassLoader loader,
                           PluginClassLoader ownLoader, PluginManifest manifest, List<String> warnings) {
        return new PluginSource(origin, p.type().getName(), loader, p::get, ownLoader, manifest, warnings);
    }

    /** Whether the runtime can make a fresh instance (for a restart); a host's instance is restarted in place. */
    public boolean host() {
        return "host".equals(origin);
    }
}
