package dev.grace.runtime.internal.discovery;

import dev.grace.api.DomainPlugin;

import java.net.URLClassLoader;
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
 * @param ownLoader the loader created for this plugin's jar, closed on every failure path; null for classpath and host
 */
public record PluginSource(String origin, String provider, ClassLoader loader, Supplier<DomainPlugin> factory,
                           URLClassLoader ownLoader) {

    static PluginSource of(String origin, ServiceLoader.Provider<DomainPlugin> p, ClassLoader loader,
                           URLClassLoader ownLoader) {
        return new PluginSource(origin, p.type().getName(), loader, p::get, ownLoader);
    }
}
