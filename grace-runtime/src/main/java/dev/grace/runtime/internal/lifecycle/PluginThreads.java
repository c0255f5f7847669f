package dev.grace.runtime.internal.lifecycle;

import org.slf4j.MDC;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that belong to one plugin: named after it, daemon, with the plugin's class loader as
 * context class loader and its id and domain in the logging MDC for their whole life. Every call
 * into a plugin runs on one of these, so neither the loader nor the MDC can be forgotten on some path.
 */
final class PluginThreads implements ThreadFactory {

    static final String MDC_PLUGIN_ID = "plugin.id";
    static final String MDC_PLUGIN_DOMAIN = "plugin.domain";

    private final String prefix;
    private final ClassLoader loader;
    private final String pluginId;
    private final String domain;
    private final AtomicInteger counter = new AtomicInteger();

    PluginThreads(String prefix, ClassLoader loader, String pluginId, String domain) {
        this.prefix = prefix;
        this.loader = loader;
        this.pluginId = pluginId;
        this.domain = domain;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(() -> {
            MDC.put(MDC_PLUGIN_ID, pluginId);
            if (domain != null) {
                MDC.put(MDC_PLUGIN_DOMAIN, domain);
            }
            r.run();
        }, prefix + "-" + counter.incrementAndGet());
        t.setDaemon(true);
        t.setContextClassLoader(loader);
        return t;
    }
}
