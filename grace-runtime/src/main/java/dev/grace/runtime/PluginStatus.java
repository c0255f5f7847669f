package dev.grace.runtime;

import dev.grace.api.Kpi;

import java.util.List;

/**
 * A plugin as the runtime sees it.
 *
 * @param id       the declared id; the provider's class name when the plugin failed before declaring one
 * @param domain   the declared domain; empty when unknown
 * @param version  the declared version; empty when unknown
 * @param state    the lifecycle state
 * @param cause    why it FAILED, is RESTARTING or QUARANTINED, in one line; null otherwise
 * @param source   where it came from: {@code classpath}, {@code host} (handed to the builder) or a jar path
 * @param kpis     the declared KPIs
 * @param provider the implementation class name
 * @param restarts how often the supervisor restarted it (healing actions)
 * @param warnings what loading it warned about, such as shared packages it bundles
 */
public record PluginStatus(String id, String domain, String version, PluginState state, String cause, String source,
                           List<Kpi> kpis, String provider, int restarts, List<String> warnings) {

    public PluginStatus {
        kpis = List.copyOf(kpis);
        warnings = List.copyOf(warnings);
    }
}
