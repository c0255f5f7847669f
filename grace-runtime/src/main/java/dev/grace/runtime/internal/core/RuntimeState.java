package dev.grace.runtime.internal.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.grace.api.Kpi;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.extension.AdminService;
import dev.grace.runtime.extension.CognitionService;
import dev.grace.runtime.extension.ExtensionContext;
import dev.grace.runtime.extension.StoreService;
import dev.grace.runtime.internal.extension.Extensions;
import dev.grace.runtime.internal.lifecycle.ManagedPlugin;
import dev.grace.runtime.internal.lifecycle.PluginResolver;
import dev.grace.runtime.internal.lifecycle.PluginRunner;
import dev.grace.runtime.internal.lifecycle.StartSchedule;
import dev.grace.runtime.internal.publish.DomainPublishers;
import dev.grace.runtime.internal.publish.MinuteMark;
import dev.grace.runtime.internal.publish.RawEventFanOut;
import dev.grace.runtime.internal.publish.RawEventPump;
import dev.grace.runtime.internal.publish.SafePublisher;
import dev.grace.runtime.internal.rollup.HourTicker;
import dev.grace.runtime.internal.rollup.MemoryRollups;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import dev.grace.runtime.internal.supervision.Supervisor;
import dev.grace.runtime.internal.view.LiveView;
import dev.grace.runtime.store.RollupQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.Rollups;
import dev.grace.runtime.RuntimeEvents;

/**
 * The runtime's parts and the state they share, behind the {@link GraceRuntime} façade: the hour
 * states, the extensions, the plugins found and their start order, the raw-event thread, the plugin
 * runner and the supervisor. It is also what extensions ({@link dev.grace.runtime.extension.ExtensionContext})
 * and plugins ({@code RuntimeView}) see of the runtime; those reads never take its lock.
 *
 * <p>The publishing figures are {@link PublishFigures}; the fan-out of raw events to several sinks is
 * {@link RawEventFanOut}.
 */
public final class RuntimeState {

    private static final Logger LOG = LoggerFactory.getLogger(GraceRuntime.class);
    /** Closed hours kept in memory for readers. */
    private static final int KEEP_CLOSED_HOURS = 48;

    private final GraceConfig config;
    private final Clock clock;
    private final RuntimeSettings settings;
    private final RollupRegistry rollups;
    private final MinuteMark minute;
    private final HourTicker ticker;
    private final Extensions extensions;
    private final RuntimeEvents events;
    private final PluginResolver resolver;
    private final PublishFigures figures;
    private List<ManagedPlugin> plugins = List.of();
    /** Accepted plugins, dependencies before dependants: the start order, reversed to stop. */
    private List<ManagedPlugin> startOrder = List.of();
    /** Made by {@link #start()} once the extensions have registered their raw-event sinks; null when raw events are off. */
    private volatile RawEventPump raw;
    private PluginRunner runner;
    private Supervisor supervisor;
    /** The publishers of values posted from outside plugins, one per domain; made when an extension first asks. */
    private volatile DomainPublishers domainPublishers;
    /** Guards only the lazy creation of {@link #domainPublishers}: an admin request may ask while start() runs. */
    private final Object domainPublishersLock = new Object();
    private boolean discovered;
    private volatile boolean started;
    private volatile boolean closed;

    public RuntimeState(RuntimeSettings b) {
        this.settings = b;
        this.clock = b.clock();
        this.extensions = new Extensions(b.extensions(), b.discoverExtensions(), b.classLoader());
        this.config = withoutMissingStore(b.config(), extensions);
        this.rollups = new RollupRegistry(clock, config.publisher().latenessLimit(), KEEP_CLOSED_HOURS);
        this.minute = new MinuteMark(clock.millis());
        this.ticker = new HourTicker(clock, rollups, minute);
        this.events = extensions.events(b.events());
        this.resolver = new PluginResolver(config, clock, rollups, events);
        this.figures = new PublishFigures(rollups, extensions);
    }

    /** {@code store.enabled} with no store attached means the rollups stay in memory: say so once, and act on it. */
    private static GraceConfig withoutMissingStore(GraceConfig config, Extensions extensions) {
        if (config.store().enabled() && !extensions.has("store")) {
            LOG.warn("store.enabled is true but no store extension is attached (add dev.grace:grace-store): rollups"
                    + " are kept in memory only; set store.enabled=false to silence this");
            return config.withStore(config.store().withEnabled(false));
        }
        return config;
    }

    /**
     * Finds plugins and checks their declarations without starting any. Idempotent; {@link #start()}
     * calls it.
     */
    public synchronized void discover() {
        if (discovered || closed) {
            return;
        }
        discovered = true;
        PluginResolver.Resolution r = resolver.resolve(settings.plugins(), settings.discoverClasspath(), settings.classLoader());
        plugins = r.plugins();
        startOrder = r.startOrder();
    }

    /**
     * Discovers (if not done yet), starts the extensions, then every accepted plugin, each on its own
     * thread with the configured timeout: independent plugins at the same time, a plugin after every
     * plugin it requires is RUNNING. Returns, once every start has succeeded or failed, this, for
     * {@code builder()...build().start()}.
     *
     * @throws IllegalStateException when the runtime was closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this Grace runtime is closed; build a new one");
        }
        if (started) {
            return;
        }
        discover();
        RuntimeContext context = new RuntimeContext(this);
        // An extension that cannot start (a bad bind, an unreachable database) stops everything: nothing started
        extensions.start(e -> e.start(context));
        started = true;
        List<RawEventSink> sinks = new ArrayList<>(extensions.sinks()); // the store first, then the host's own
        if (settings.rawEventSink() != null) {
            sinks.add(settings.rawEventSink());
        }
        if (config.publisher().rawEvents() && !sinks.isEmpty()) {
            raw = new RawEventPump(config.publisher().rawEventCapacity(), sinks.size() == 1 ? sinks.get(0) : new RawEventFanOut(sinks),
                    figures::rawLost, clock);
            raw.start();
        }
        Injector parent = Guice.createInjector(Stage.PRODUCTION);
        runner = new PluginRunner(parent, clock, rollups, raw, settings.rejectionListener(), config.dataDir(),
                config.publisher().latenessLimit(), config.lifecycle().startTimeout(),
                config.lifecycle().stopTimeout(), settings.schedulers(), minute,
                new LiveView(new PluginViewBackend(this), config.store().enabled(), clock));
        supervisor = new Supervisor(clock, config.supervision(), config.lifecycle().startTimeout(), runner, events);
        ticker.start();
        new StartSchedule(startOrder).run(p -> { // independent plugins at once; each after its dependencies
            String unmet = unmetDependency(p);
            if (unmet != null) {
                resolver.refuse(p, unmet);
            } else {
                runner.start(p, config.pluginSection(p.info().id()));
            }
        });
        extensions.pluginsStarted(plugins());
        if (settings.superviseAutomatically()) {
            supervisor.startTicking(this::supervise);
        }
        long running = plugins.stream().filter(p -> p.state() == PluginState.RUNNING).count();
        LOG.info("Grace runtime started: {} of {} plugins running; extensions: {}", running, plugins.size(),
                extensions.names().isEmpty() ? "none" : String.join(", ", extensions.names()));
    }

    /** The publishers for values from outside plugins, over the KPIs the accepted plugins declared. */
    DomainPublishers domainPublishers() {
        DomainPublishers d = domainPublishers;
        if (d == null) {
            synchronized (domainPublishersLock) {
                d = domainPublishers;
                if (d == null) {
                    Map<String, List<Kpi>> declared = new TreeMap<>();
                    for (ManagedPlugin p : startOrder) {
                        List<Kpi> kpis = declared.computeIfAbsent(p.info().domain(), x -> new ArrayList<>());
                        p.kpis().stream().filter(k -> !kpis.contains(k)).forEach(kpis::add);
                    }
                    d = new DomainPublishers(declared, rollups, (id, accumulators, listener) ->
                            new SafePublisher(id, accumulators, clock, minute, config.publisher().latenessLimit().toMillis(),
                                    raw, listener), settings.rejectionListener());
                    domainPublishers = d;
                }
            }
        }
        return d;
    }

    /**
     * Where the admin HTTP server (API, {@code /metrics}, dashboard) serves, for example
     * {@code http://127.0.0.1:8470/}; empty when no admin server is attached, {@code http.enabled} is
     * false, before {@link #start()} and after {@link #close()}.
     */
    public Optional<URI> adminEndpoint() {
        return extensions.service(AdminService.class).flatMap(AdminService::endpoint);
    }

    /** Why a plugin's dependency did not start, or null when all of them run. */
    private String unmetDependency(ManagedPlugin p) {
        for (String dep : p.info().requires().keySet()) {
            for (ManagedPlugin d : startOrder) {
                if (d.info().id().equals(dep) && d.state() != PluginState.RUNNING) {
                    return "plugin " + p.info().id() + " requires " + dep + ", which failed: " + d.status().cause();
                }
            }
        }
        return null;
    }

    /**
     * Checks every running plugin once and heals what failed: a plugin whose scheduled tasks threw
     * or whose {@code health()} says so is stopped, and restarted after its backoff; after too many
     * restarts it is quarantined. The runtime calls this every {@code supervision.interval}; a host or
     * test that drives a controllable clock (and built the runtime with {@code supervise(false)})
     * calls it itself after moving the clock.
     */
    public synchronized void supervise() {
        if (!started || closed) {
            return;
        }
        try {
            supervisor.tick(startOrder, config::pluginSection);
        } catch (RuntimeException e) {
            LOG.error("supervising plugins failed", e);   // the next tick tries again
        }
    }

    /** Every plugin found, in discovery order, with its state and cause. */
    public List<PluginStatus> plugins() {
        return plugins.stream().map(ManagedPlugin::status).toList();
    }

    /** Accepted, rejected by reason and raw events dropped, per plugin and in total. */
    public PublishStats stats() {
        return figures.stats(plugins, domainPublishers);
    }

    /** Values rejected so far, per domain. */
    Map<String, Long> rejectedByDomain() {
        return figures.rejectedByDomain(plugins);
    }

    /** The hourly rollups held in memory. */
    public Rollups rollups() {
        return new MemoryRollups(rollups);
    }

    /**
     * The rollups stored in the database, merged across every node that shares it.
     *
     * @throws IllegalStateException when no store is open: it is off ({@code store.enabled: false}),
     *                               not attached, or the runtime has not started
     */
    public RollupQuery storedRollups() {
        return extensions.service(StoreService.class).map(StoreService::reader).orElseThrow(() ->
                new IllegalStateException("the store is not open: it is off (store.enabled=false), not attached"
                        + " (dev.grace:grace-store), or the runtime has not started"));
    }

    /** Where the store writes, with this runtime's node id; empty when no store is open. */
    public Optional<String> storeLocation() {
        return extensions.service(StoreService.class).map(StoreService::location);
    }

    /**
     * Turns to the clock's current hour now, instead of at the ticker's next wake-up. The ticker
     * does this by itself at each boundary; hosts and tests that move a controllable clock call it
     * right after moving the clock.
     */
    public void turnHour() {
        minute.set(clock.millis());
        rollups.turn();
    }

    /**
     * Waits until every raw event accepted before this call has reached the raw-event sinks. True at
     * once when raw events are off.
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitRawEvents(Duration timeout) {
        RawEventPump r = raw;
        return r == null || r.awaitDelivered(timeout);
    }

    /**
     * Cognition over this runtime's store: scores, benchmarks, readiness and alerts. Empty when
     * cognition is not attached or off, or before {@link #start()}.
     */
    public Optional<Cognition> cognition() {
        return extensions.service(CognitionService.class).map(CognitionService::cognition);
    }

    /**
     * Writes every rollup held in memory to the store now, and waits for that.
     *
     * @return false when no store is open, or the write failed or took longer than {@code timeout}
     */
    public boolean flushStore(Duration timeout) {
        return extensions.service(StoreService.class).map(s -> s.flushNow(timeout)).orElse(false);
    }

    /** The clock every plugin reads. */
    public Clock clock() {
        return clock;
    }

    /** The configuration in force. */
    public GraceConfig config() {
        return config;
    }

    /**
     * Stops every plugin (in reverse start order), refuses further values, and delivers everything
     * accepted: the final state of every hour and every queued raw event. Idempotent.
     */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        extensions.stopping(); // first: no request may publish or read while the rest shuts down
        if (supervisor != null) {
            supervisor.close();
        }
        if (runner != null) {
            for (int i = startOrder.size() - 1; i >= 0; i--) {
                runner.stop(startOrder.get(i));
            }
            for (ManagedPlugin p : plugins) {
                if (!startOrder.contains(p)) {
                    runner.stop(p);
                }
            }
        }
        for (ManagedPlugin p : plugins) {
            if (p.publisher() != null) {
                p.publisher().close();
            }
        }
        if (domainPublishers != null) {
            domainPublishers.close();
        }
        ticker.close();
        rollups.closeAll();
        RawEventPump r = raw;
        if (r != null) {
            r.closing(); // a sink that stays down holds up the drain for a bounded time only
            r.close();
        }
        extensions.close(); // after every hour closed and every raw event drained: the store's final flush writes everything
        LOG.info("Grace runtime closed");
    }

    /**
     * Quarantines a plugin on another plugin's request: stops it and keeps it stopped. Refused for
     * the caller itself, an unknown plugin, or one already quarantined.
     */
    boolean quarantineFor(String caller, String pluginId, String reason) {
        if (caller.equals(pluginId) || closed) {
            return false;
        }
        ManagedPlugin target = null;
        for (ManagedPlugin p : plugins) {
            if (p.id().equals(pluginId)) {
                target = p;
            }
        }
        if (target == null || target.state() == PluginState.QUARANTINED) {
            return false;
        }
        String why = "quarantined at the request of " + caller + ": " + reason;
        LOG.warn("plugin {} {}", pluginId, why);
        runner.stop(target);
        target.quarantine(why);
        events.pluginQuarantined(pluginId, why);
        return true;
    }

    boolean running() {
        return started && !closed;
    }

    boolean started() {
        return started;
    }

    RuntimeSettings settings() {
        return settings;
    }

    RollupRegistry registry() {
        return rollups;
    }

    Extensions extensions() {
        return extensions;
    }

    List<ManagedPlugin> managedPlugins() {
        return plugins;
    }
}
