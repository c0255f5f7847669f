package dev.grace.runtime.internal.lifecycle;

import dev.grace.api.DomainPlugin;
import dev.grace.api.GraceApi;
import dev.grace.api.Kpi;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.RuntimeEvents;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.dependency.DependencyGraph;
import dev.grace.runtime.internal.discovery.PluginDiscovery;
import dev.grace.runtime.internal.discovery.PluginManifest;
import dev.grace.runtime.internal.discovery.PluginSource;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import dev.grace.runtime.internal.vetting.PluginCheck;
import dev.grace.runtime.internal.vetting.PluginVetting;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins (host instances, the classpath, plugin directories), instantiates each, checks its
 * declarations (duplicate ids, manifest agreement, API range, KPI definitions shared within a
 * domain) and orders the accepted ones dependencies first, refusing those whose dependencies cannot
 * be met. Nothing is started here.
 */
public final class PluginResolver {

    private static final Logger LOG = LoggerFactory.getLogger(PluginResolver.class);

    /** Every plugin found, in discovery order, and the accepted ones in start order. */
    public record Resolution(List<ManagedPlugin> plugins, List<ManagedPlugin> startOrder) {
    }

    private final GraceConfig config;
    private final Clock clock;
    private final RollupRegistry rollups;
    private final RuntimeEvents events;
    private final List<ManagedPlugin> plugins = new ArrayList<>();

    public PluginResolver(GraceConfig config, Clock clock, RollupRegistry rollups, RuntimeEvents events) {
        this.config = config;
        this.clock = clock;
        this.rollups = rollups;
        this.events = events;
    }

    public Resolution resolve(List<DomainPlugin> hostPlugins, boolean discoverClasspath, ClassLoader classLoader) {
        List<PluginSource> sources = new ArrayList<>();
        for (DomainPlugin p : hostPlugins) {
            sources.add(new PluginSource("host", p.getClass().getName(), p.getClass().getClassLoader(), () -> p));
        }
        List<PluginDiscovery.Result> results = new ArrayList<>();
        if (discoverClasspath) {
            results.add(PluginDiscovery.classpath(classLoader));
        }
        results.add(PluginDiscovery.directories(config.pluginsDirs(), classLoader,
                new PluginVetting(config.vetting().deny()), GraceApi.version()));
        for (PluginDiscovery.Result r : results) {
            sources.addAll(r.sources());
            for (PluginDiscovery.Failure f : r.failures()) {
                ManagedPlugin failed = ManagedPlugin.failedDiscovery(f, clock);
                LOG.error("plugin {} from {} failed: {}", failed.id(), f.origin(), failed.status().cause());
                plugins.add(failed);
                events.pluginRefused(failed.id(), f.origin(), f.cause());
            }
        }
        Map<String, ManagedPlugin> byId = new HashMap<>();
        for (PluginSource source : sources) {
            ManagedPlugin p = new ManagedPlugin(source, clock);
            plugins.add(p);
            if (!p.instantiate(config.lifecycle().startTimeout())) {
                LOG.error("plugin {} from {} failed: {}", p.id(), source.origin(), p.status().cause());
                events.pluginRefused(p.id(), source.origin(), p.status().cause());
                continue;
            }
            if (!config.pluginEnabled(p.info().id())) {
                String reason = "not in plugins.enabled (" + String.join(", ", config.enabledPlugins()) + ")";
                LOG.info("plugin {} from {} disabled: {}", p.id(), source.origin(), reason);
                p.disable(reason);
                continue;
            }
            String refusal = refusal(p, byId);
            if (refusal != null) {
                refuse(p, refusal);
                continue;
            }
            byId.put(p.info().id(), p);
        }
        if (config.enabledPlugins() != null) {
            for (String id : config.enabledPlugins()) {
                if (plugins.stream().noneMatch(p -> p.info() != null && p.info().id().equals(id))) {
                    LOG.warn("plugins.enabled names {}, but no plugin found declares that id", id);
                }
            }
        }
        return new Resolution(List.copyOf(plugins), order(byId));
    }

    /** Refuses a plugin: FAILED with the reason, logged and told to the events listener. */
    public void refuse(ManagedPlugin p, String reason) {
        LOG.error("plugin {} from {} refused: {}", p.id(), p.source().origin(), reason);
        p.fail(reason);
        events.pluginRefused(p.id(), p.source().origin(), reason);
    }

    /** Orders the accepted plugins, dependencies first, and refuses those whose dependencies cannot be met. */
    private List<ManagedPlugin> order(Map<String, ManagedPlugin> byId) {
        List<DependencyGraph.Node> nodes = new ArrayList<>();
        Map<String, String> failed = new HashMap<>();
        for (ManagedPlugin p : plugins) {
            if (p.state() == PluginState.DISCOVERED && byId.get(p.info().id()) == p) {
                nodes.add(new DependencyGraph.Node(p.info().id(), p.info().version(), p.info().requires()));
            } else if (p.state() == PluginState.FAILED || p.state() == PluginState.DISABLED) {
                failed.putIfAbsent(p.id(), p.status().cause());
            }
        }
        DependencyGraph.Resolution r = DependencyGraph.resolve(nodes, failed);
        r.refused().forEach((id, reason) -> refuse(byId.get(id), "plugin " + id + " " + reason));
        return r.order().stream().map(byId::get).toList();
    }

    /** Why a plugin's declarations cannot be accepted, or null when they can. */
    private String refusal(ManagedPlugin p, Map<String, ManagedPlugin> byId) {
        PluginInfo info = p.info();
        ManagedPlugin other = byId.get(info.id());
        if (other != null) {
            return "duplicate plugin id '" + info.id() + "': " + p.source().provider() + " from "
                    + p.source().origin() + " and " + other.source().provider() + " from " + other.source().origin()
                    + " both declare it; the first one found keeps it";
        }
        PluginManifest manifest = p.source().manifest();
        if (manifest != null) {
            String disagreement = PluginCheck.disagreement(info, manifest);
            if (disagreement != null) {
                return disagreement;
            }
        }
        String apiProblem = PluginCheck.apiRangeProblem(info.id(), info.apiRange(), GraceApi.version());
        if (apiProblem != null) {
            return apiProblem;
        }
        Map<String, Kpi> own = new LinkedHashMap<>();
        for (Kpi kpi : p.kpis()) {
            Kpi previous = own.putIfAbsent(kpi.name(), kpi);
            if (previous != null && !previous.equals(kpi)) {
                return "plugin " + info.id() + " declares KPI " + kpi.name() + " twice with different definitions";
            }
            Kpi registered = rollups.conflictingDefinition(info.domain(), kpi);
            if (registered == null) {
                registered = conflictWithPending(info, kpi, byId);
            }
            if (registered != null) {
                return "plugin " + info.id() + " declares KPI " + info.domain() + "/" + kpi.name() + " as " + kpi
                        + " but it is already declared in domain " + info.domain() + " as " + registered;
            }
        }
        return null;
    }

    private static Kpi conflictWithPending(PluginInfo info, Kpi kpi, Map<String, ManagedPlugin> byId) {
        for (ManagedPlugin other : byId.values()) {
            if (!other.info().domain().equals(info.domain())) {
                continue;
            }
            for (Kpi k : other.kpis()) {
                if (k.name().equals(kpi.name()) && !k.equals(kpi)) {
                    return k;
                }
            }
        }
        return null;
    }
}
