package dev.grace.runtime;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.grace.api.DomainPlugin;
import dev.grace.api.GraceApi;
import dev.grace.api.Kpi;
import dev.grace.api.MaintenanceResult;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.cognition.CognitionEngine;
import dev.grace.runtime.internal.cognition.CognitionTicker;
import dev.grace.runtime.internal.dependency.DependencyGraph;
import dev.grace.runtime.internal.discovery.PluginDiscovery;
import dev.grace.runtime.internal.discovery.PluginManifest;
import dev.grace.runtime.internal.discovery.PluginSource;
import dev.grace.runtime.internal.http.AdminBackend;
import dev.grace.runtime.internal.http.AdminServer;
import dev.grace.runtime.internal.http.DomainPublishers;
import dev.grace.runtime.internal.lifecycle.ManagedPlugin;
import dev.grace.runtime.internal.lifecycle.PluginRunner;
import dev.grace.runtime.internal.publish.MinuteMark;
import dev.grace.runtime.internal.publish.RawEventPump;
import dev.grace.runtime.internal.publish.SafePublisher;
import dev.grace.runtime.internal.rollup.HourTicker;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import dev.grace.runtime.internal.store.StoreWriter;
import dev.grace.runtime.internal.view.LatencyCursor;
import dev.grace.runtime.internal.view.LiveView;
import dev.grace.runtime.internal.supervision.Supervisor;
import dev.grace.runtime.internal.vetting.PluginCheck;
import dev.grace.runtime.internal.vetting.PluginVetting;
import dev.grace.runtime.store.RollupQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Grace runtime, embedded in a host application.
 *
 * <pre>{@code
 * try (GraceRuntime grace = GraceRuntime.builder().config(config).build().start()) {
 *     ... the host runs; plugins publish ...
 * } // close() stops every plugin and flushes what they published
 * }</pre>
 *
 * <p>{@link #start()} discovers plugins with {@link java.util.ServiceLoader} (on the classpath and
 * in the configured plugin directories), checks their declarations, and starts each on its own
 * thread. A plugin that is refused, throws or hangs ends FAILED with its cause and never affects the
 * others. Plugins start in dependency order. While they run, {@link #supervise()} (called every
 * {@code supervision.interval} on a runtime thread, or by the host) restarts those that fail, and
 * quarantines those that keep failing. {@link #close()} is idempotent.
 */
public final class GraceRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraceRuntime.class);
    /** Backups written through {@code RuntimeActions.backup()} that are kept; older ones are removed. */
    private static final int KEPT_BACKUPS = 24;
    /** Closed hours kept in memory for readers. */
    private static final int KEEP_CLOSED_HOURS = 48;

    private final GraceConfig config;
    private final Clock clock;
    private final boolean discoverClasspath;
    private final ClassLoader classLoader;
    private final List<DomainPlugin> hostPlugins;
    private final RollupRegistry rollups;
    private final MinuteMark minute;
    private final HourTicker ticker;
    private final RawEventPump raw;
    private final PluginRunner runner;
    /** The store, when {@code store.enabled}; opened by {@link #start()}, before the raw-event thread starts. */
    private volatile StoreWriter store;
    private final List<ManagedPlugin> plugins = new ArrayList<>();
    /** Accepted plugins, dependencies before dependants: the start order, reversed to stop. */
    private final List<ManagedPlugin> startOrder = new ArrayList<>();
    private final RuntimeEvents events;
    private final Supervisor supervisor;
    private final boolean superviseAutomatically;
    private final Map<String, Long> rawLostBySink = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<AlertChannel> alertChannels;
    private final boolean evaluateAutomatically;
    /** Cognition over the store; null when the store or cognition is off, or before start. */
    private volatile CognitionEngine cognition;
    private CognitionTicker cognitionThread;
    /** The plugins, republished after each change of the list, for readers that must not take this runtime's lock. */
    private volatile List<ManagedPlugin> snapshot = List.of();
    /** The admin HTTP endpoint's address while it serves. */
    private volatile java.net.URI adminEndpoint;
    /** The admin HTTP server, when {@code http.enabled}; started by {@link #start()}, stopped first by {@link #close()}. */
    private AdminServer admin;
    /** The publishers of values posted over HTTP, one per domain; null until the admin server starts. */
    private volatile DomainPublishers httpPublishers;
    private final RejectionListener rejectionListener;
    private boolean discovered;
    private volatile boolean started;
    private volatile boolean closed;

    private GraceRuntime(Builder b) {
        this.config = b.config;
        this.clock = b.clock;
        this.discoverClasspath = b.discoverClasspath;
        this.classLoader = b.classLoader;
        this.hostPlugins = List.copyOf(b.plugins);
        this.rejectionListener = b.rejectionListener;
        this.rollups = new RollupRegistry(clock, config.publisher().latenessLimit(), KEEP_CLOSED_HOURS);
        this.minute = new MinuteMark(clock.millis());
        this.ticker = new HourTicker(clock, rollups, minute);
        RawEventSink sink = config.store().enabled() ? withStore(b.rawEventSink) : b.rawEventSink;
        this.raw = sink != null && config.publisher().rawEvents()
                ? new RawEventPump(config.publisher().rawEventCapacity(), sink,
                        pluginId -> rawLostBySink.merge(pluginId, 1L, Long::sum))
                : null;
        Injector parent = Guice.createInjector(Stage.PRODUCTION);
        this.runner = new PluginRunner(parent, clock, rollups, raw, b.rejectionListener, config.dataDir(),
                config.publisher().latenessLimit(), config.lifecycle().startTimeout(),
                config.lifecycle().stopTimeout(), b.schedulers, minute, new LiveView(new ViewBackend()));
        this.events = config.store().enabled() ? StoreWriter.auditing(b.events, () -> store) : b.events;
        this.superviseAutomatically = b.superviseAutomatically;
        this.alertChannels = List.copyOf(b.alertChannels);
        this.evaluateAutomatically = b.evaluateAutomatically;
        this.supervisor = new Supervisor(clock, config.supervision(), config.lifecycle().startTimeout(), runner, events);
    }

    /** The store's sink, then the host's own if any. */
    private RawEventSink withStore(RawEventSink other) {
        return batch -> {
            store.accept(batch);
            if (other != null) {
                other.accept(batch);
            }
        };
    }

    /** Starts a runtime description; every setting has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Finds plugins and checks their declarations without starting any. Idempotent; {@link #start()}
     * calls it.
     */
    public synchronized GraceRuntime discover() {
        if (discovered || closed) {
            return this;
        }
        discovered = true;
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
            String refusal = refusal(p, byId);
            if (refusal != null) {
                refuse(p, refusal);
                continue;
            }
            byId.put(p.info().id(), p);
        }
        resolveDependencies(byId);
        snapshot = List.copyOf(plugins);
        return this;
    }

    private void refuse(ManagedPlugin p, String reason) {
        LOG.error("plugin {} from {} refused: {}", p.id(), p.source().origin(), reason);
        p.fail(reason);
        events.pluginRefused(p.id(), p.source().origin(), reason);
    }

    /** Orders the accepted plugins, dependencies first, and refuses those whose dependencies cannot be met. */
    private void resolveDependencies(Map<String, ManagedPlugin> byId) {
        List<DependencyGraph.Node> nodes = new ArrayList<>();
        Map<String, String> failed = new HashMap<>();
        for (ManagedPlugin p : plugins) {
            if (p.state() == PluginState.DISCOVERED && byId.get(p.info().id()) == p) {
                nodes.add(new DependencyGraph.Node(p.info().id(), p.info().version(), p.info().requires()));
            } else if (p.state() == PluginState.FAILED) {
                failed.putIfAbsent(p.id(), p.status().cause());
            }
        }
        DependencyGraph.Resolution r = DependencyGraph.resolve(nodes, failed);
        r.refused().forEach((id, reason) -> refuse(byId.get(id), "plugin " + id + " " + reason));
        r.order().forEach(id -> startOrder.add(byId.get(id)));
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

    /**
     * Discovers (if not done yet) and starts every accepted plugin, one after another, each on its
     * own thread with the configured timeout. Returns this, for {@code builder()...build().start()}.
     *
     * @throws IllegalStateException when the runtime was closed
     */
    public synchronized GraceRuntime start() {
        if (closed) {
            throw new IllegalStateException("this Grace runtime is closed; build a new one");
        }
        if (started) {
            return this;
        }
        discover();
        if (config.http().enabled()) {
            startAdmin(); // ConfigException (bad bind, port in use, open bind without a token): nothing started
        }
        if (config.store().enabled()) {
            try {
                store = StoreWriter.open(config, rollups, clock); // StoreException: one line, nothing written
            } catch (RuntimeException e) {
                stopAdmin();
                throw e;
            }
            store.rejections(this::rejectedByDomain);
            if (config.cognition().enabled()) {
                StoreWriter s = store;
                cognition = new CognitionEngine(s.database(), s.node(), clock, config.cognition(), config.dataDir(),
                        () -> s.flushNow(java.time.Duration.ofSeconds(30)), alertChannels, s::flushes);
            }
        }
        started = true;
        if (raw != null) {
            raw.start();
        }
        ticker.start();
        for (ManagedPlugin p : startOrder) {
            if (p.state() != PluginState.DISCOVERED) {
                continue;
            }
            String unmet = unmetDependency(p);
            if (unmet != null) {
                refuse(p, unmet);
            } else {
                runner.start(p, config.pluginSection(p.info().id()));
            }
        }
        if (store != null) {
            store.auditPlugins(plugins());
            store.catalog(plugins());
        }
        if (cognition != null && evaluateAutomatically) {
            cognitionThread = new CognitionTicker(cognition);
            cognitionThread.start();
        }
        if (superviseAutomatically) {
            supervisor.startTicking(this::supervise);
        }
        long running = plugins.stream().filter(p -> p.state() == PluginState.RUNNING).count();
        LOG.info("Grace runtime started: {} of {} plugins running", running, plugins.size());
        return this;
    }

    /**
     * Starts the admin HTTP server before any plugin, so that plugins see its address in
     * {@code RuntimeView.adminEndpoint()} from their {@code start} on.
     */
    private void startAdmin() {
        Map<String, List<Kpi>> declared = new java.util.TreeMap<>();
        for (ManagedPlugin p : startOrder) {
            List<Kpi> kpis = declared.computeIfAbsent(p.info().domain(), d -> new ArrayList<>());
            p.kpis().stream().filter(k -> !kpis.contains(k)).forEach(kpis::add);
        }
        httpPublishers = new DomainPublishers(declared, rollups, (id, accumulators, listener) ->
                new SafePublisher(id, accumulators, clock, minute, config.publisher().latenessLimit().toMillis(), raw,
                        listener), rejectionListener);
        admin = AdminServer.start(config.http(), config.dataDir(), new AdminView());
        adminEndpoint = admin.address();
    }

    private void stopAdmin() {
        if (admin != null) {
            adminEndpoint = null;
            admin.close();
            admin = null;
        }
    }

    /**
     * Where the admin HTTP server (API, {@code /metrics}, dashboard) serves, for example
     * {@code http://127.0.0.1:8470/}; empty when {@code http.enabled} is false, before
     * {@link #start()} and after {@link #close()}.
     */
    public java.util.Optional<java.net.URI> adminEndpoint() {
        return java.util.Optional.ofNullable(adminEndpoint);
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
    public synchronized List<PluginStatus> plugins() {
        return plugins.stream().map(ManagedPlugin::status).toList();
    }

    /** Accepted, rejected by reason and raw events dropped, per plugin and in total. */
    public synchronized PublishStats stats() {
        return publishStats(plugins);
    }

    private PublishStats publishStats(List<ManagedPlugin> plugins) {
        Map<String, PublishStats.PluginFigures> figures = new LinkedHashMap<>();
        for (ManagedPlugin p : plugins) {
            SafePublisher pub = p.publisher();
            if (pub == null) {
                continue;
            }
            long lost = rawLostBySink.getOrDefault(pub.pluginId(), 0L);
            StoreWriter s = store;
            long refused = s == null ? 0 : s.rawEventsRefusedByPlugin().getOrDefault(pub.pluginId(), 0L);
            figures.put(pub.pluginId(), new PublishStats.PluginFigures(rollups.acceptedCount(pub.pluginId()),
                    pub.rejections().byReason(), pub.rejections().rawDropped() + lost, refused));
        }
        DomainPublishers http = httpPublishers;
        if (http != null) {
            for (SafePublisher pub : http.publishers()) {
                figures.put(pub.pluginId(), new PublishStats.PluginFigures(rollups.acceptedCount(pub.pluginId()),
                        pub.rejections().byReason(), pub.rejections().rawDropped()));
            }
        }
        return new PublishStats(figures);
    }

    /** The hourly rollups held in memory. */
    public Rollups rollups() {
        return new Rollups() {
            @Override
            public List<HourlyRollup> all() {
                return rollups.rollups();
            }

            @Override
            public List<HourlyRollup> hour(Instant hourStart) {
                return rollups.hour(hourStart.toEpochMilli());
            }

            @Override
            public Instant currentHour() {
                return Instant.ofEpochMilli(rollups.currentHourStart());
            }
        };
    }

    /**
     * The rollups stored in the database, merged across every node that shares it.
     *
     * @throws IllegalStateException when the store is off ({@code store.enabled: false}) or the
     *                               runtime has not started
     */
    public RollupQuery storedRollups() {
        StoreWriter s = store;
        if (s == null) {
            throw new IllegalStateException("the store is not open: it is off (store.enabled=false) or the runtime has not started");
        }
        return s.reader();
    }

    /** Where the store writes, with this runtime's node id; empty when the store is off or not started. */
    public java.util.Optional<String> storeLocation() {
        StoreWriter s = store;
        return s == null ? java.util.Optional.empty()
                : java.util.Optional.of(s.database().url() + " (node " + s.node() + ")");
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
     * Waits until every raw event accepted before this call has reached the raw-event sink. True at
     * once when raw events are off.
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitRawEvents(java.time.Duration timeout) {
        return raw == null || raw.awaitDelivered(timeout);
    }

    /**
     * Cognition over this runtime's store: scores, benchmarks, readiness and alerts. Empty when the
     * store or cognition is off, or before {@link #start()}.
     */
    public java.util.Optional<Cognition> cognition() {
        return java.util.Optional.ofNullable(cognition);
    }

    /**
     * Writes every rollup held in memory to the store now, and waits for that.
     *
     * @return false when the store is off, or the write failed or took longer than {@code timeout}
     */
    public boolean flushStore(java.time.Duration timeout) {
        StoreWriter s = store;
        return s != null && s.flushNow(timeout);
    }

    /** Values rejected so far, per domain. */
    private Map<String, Long> rejectedByDomain() {
        Map<String, Long> out = new HashMap<>();
        for (ManagedPlugin p : snapshot) {
            SafePublisher pub = p.publisher();
            if (pub != null && p.info() != null) {
                long n = pub.rejections().byReason().values().stream().mapToLong(Long::longValue).sum();
                out.merge(p.info().domain(), n, Long::sum);
            }
        }
        return out;
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
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAdmin(); // first: no request may publish or read while the rest shuts down
        if (cognitionThread != null) {
            cognitionThread.close();
        }
        supervisor.close();
        for (int i = startOrder.size() - 1; i >= 0; i--) {
            runner.stop(startOrder.get(i));
        }
        for (ManagedPlugin p : plugins) {
            if (!startOrder.contains(p)) {
                runner.stop(p);
            }
        }
        for (ManagedPlugin p : plugins) {
            if (p.publisher() != null) {
                p.publisher().close();
            }
        }
        if (httpPublishers != null) {
            httpPublishers.close();
        }
        ticker.close();
        rollups.closeAll();
        if (store != null) {
            store.closing(); // a database that stays down holds up the raw-event drain for a bounded time only
        }
        if (raw != null) {
            raw.close();
        }
        if (cognition != null) {
            cognition.close();
        }
        if (store != null) {
            store.close(); // after every hour closed and every raw event drained: the final flush writes everything
        }
        LOG.info("Grace runtime closed");
    }

    /** What the admin server reads of this runtime, without this runtime's lock. */
    private final class AdminView implements AdminBackend {
        @Override
        public boolean running() {
            return started && !closed;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public java.nio.file.Path dataDir() {
            return config.dataDir();
        }

        @Override
        public List<PluginStatus> plugins() {
            return snapshot.stream().map(ManagedPlugin::status).toList();
        }

        @Override
        public PublishStats stats() {
            return publishStats(snapshot);
        }

        @Override
        public Rollups memory() {
            return rollups();
        }

        @Override
        public RollupQuery store() {
            StoreWriter s = store;
            return s == null ? null : s.reader();
        }

        @Override
        public StoreHealth storeHealth() {
            StoreWriter s = store;
            if (s == null) {
                return config.store().enabled() ? new StoreHealth(true, false, "not open yet") : StoreHealth.OFF;
            }
            return new StoreHealth(true, s.database().reachable(), s.database().url() + " (node " + s.node() + ")",
                    s.stuckSince().orElse(null), s.rawEventsRefused());
        }

        @Override
        public java.util.Optional<dev.grace.runtime.cognition.CognitionReader> cognition() {
            return java.util.Optional.ofNullable(cognition);
        }

        @Override
        public DomainPublishers publishers() {
            return httpPublishers;
        }
    }

    /** What plugins see of this runtime, read without this runtime's lock. */
    private final class ViewBackend implements LiveView.Backend {
        private static final long HOUR_MILLIS = 3_600_000L;
        private static final java.time.format.DateTimeFormatter BACKUP_NAME =
                java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC);

        /** The innermost cause's message: what a database error actually says. */
        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        }

        @Override
        public List<PluginStatus> plugins() {
            return snapshot.stream().map(ManagedPlugin::status).toList();
        }

        @Override
        public Map<String, Long> stateSince() {
            Map<String, Long> since = new HashMap<>();
            for (ManagedPlugin p : snapshot) {
                since.put(p.id(), p.stateSince());
            }
            return since;
        }

        @Override
        public PublishStats stats() {
            return publishStats(snapshot);
        }

        @Override
        public List<HourlyRollup> memoryRollups() {
            return rollups.rollups();
        }

        @Override
        public long currentHourStart() {
            return rollups.currentHourStart();
        }

        @Override
        public RollupQuery store() {
            StoreWriter s = store;
            return s == null ? null : s.reader();
        }

        @Override
        public LatencyCursor.Totals persistLatency() {
            StoreWriter s = store;
            return s == null || raw == null ? null : s.persistLatency();
        }

        @Override
        public java.util.Optional<java.net.URI> adminEndpoint() {
            return java.util.Optional.ofNullable(adminEndpoint);
        }

        @Override
        public List<dev.grace.api.RuntimeView.BenchmarkView> benchmarks() {
            CognitionEngine c = cognition;
            return c == null ? List.of() : c.views();
        }

        @Override
        public boolean quarantine(String caller, String pluginId, String reason) {
            return quarantineFor(caller, pluginId, reason);
        }

        @Override
        public boolean setBenchmarkThreshold(String caller, String benchmark, double threshold, String reason) {
            CognitionEngine c = cognition;
            if (c == null || !c.setThreshold(benchmark, threshold)) {
                return false;
            }
            String detail = "benchmark " + benchmark + " threshold set to " + threshold + " at the request of "
                    + caller + ": " + reason;
            LOG.warn(detail);
            StoreWriter s = store;
            if (s != null) {
                s.audit("benchmark-threshold", detail);
            }
            return true;
        }

        @Override
        public MaintenanceResult purgeRetention(String caller) {
            StoreWriter s = store;
            if (s == null) {
                return MaintenanceResult.notApplicable(storeAbsent());
            }
            MaintenanceResult result;
            try {
                result = MaintenanceResult.done(s.purgeRetention(clock.millis()).detail());
            } catch (RuntimeException e) {
                result = MaintenanceResult.failed("retention purge failed: " + rootMessage(e));
            }
            return audited(s, "maintenance-purge", caller, result);
        }

        @Override
        public MaintenanceResult verifyHour(String caller, Instant hourStart) {
            StoreWriter s = store;
            if (s == null) {
                return MaintenanceResult.notApplicable(storeAbsent());
            }
            MaintenanceResult result;
            try {
                result = verify(s, hourStart);
            } catch (RuntimeException e) {
                result = MaintenanceResult.failed("verify of hour " + hourStart + " failed: " + rootMessage(e));
            }
            return audited(s, "maintenance-verify", caller, result);
        }

        private MaintenanceResult verify(StoreWriter s, Instant hourStart) {
            long start = hourStart == null ? -1 : hourStart.toEpochMilli();
            if (hourStart == null || Math.floorMod(start, HOUR_MILLIS) != 0) {
                return MaintenanceResult.failed("verifyHour needs the start of an hour (minutes, seconds and millis zero), got "
                        + hourStart);
            }
            if (raw == null) {
                return MaintenanceResult.notApplicable("raw events are off (publisher.rawEvents=false): there is nothing to"
                        + " recompute hour " + hourStart + " from");
            }
            long now = clock.millis();
            if (start + HOUR_MILLIS > now) {
                return MaintenanceResult.failed("hour " + hourStart + " has not closed yet (now " + Instant.ofEpochMilli(now) + ")");
            }
            if (start < now - s.config().rawRetention().toMillis()) {
                return MaintenanceResult.notApplicable("the raw events of hour " + hourStart + " are past store.rawRetention="
                        + s.config().rawRetention() + ", so the hour can no longer be recomputed");
            }
            // The hour's last raw events and its final rollup state may still be on their way to the store.
            java.time.Duration patience = java.time.Duration.ofSeconds(10);
            if (!raw.awaitDelivered(patience) || !s.flushNow(patience)) {
                return MaintenanceResult.failed("the raw events and rollups of hour " + hourStart
                        + " did not reach the store within " + patience + "; not verified");
            }
            dev.grace.runtime.store.VerifyReport report = s.reader().verify(start, start + HOUR_MILLIS);
            int differed = report.differences().size();
            String counts = "hour " + hourStart + ": " + (report.hoursCompared() - differed) + " KPIs matched their raw events, "
                    + differed + " differed";
            return differed == 0 ? MaintenanceResult.done(counts)
                    : MaintenanceResult.failed(counts + "; first: " + report.differences().get(0));
        }

        @Override
        public MaintenanceResult backup(String caller) {
            StoreWriter s = store;
            if (s == null) {
                return MaintenanceResult.notApplicable(storeAbsent());
            }
            if (s.database().vendor() != dev.grace.runtime.internal.store.Vendor.H2) {
                return MaintenanceResult.notApplicable("PostgreSQL is backed up with its own tools (pg_dump)");
            }
            MaintenanceResult result;
            try {
                String name = "grace-" + BACKUP_NAME.format(Instant.ofEpochMilli(clock.millis())) + ".zip";
                java.nio.file.Path dir = config.dataDir().resolve("backups");
                java.nio.file.Path file = s.reader().backup(dir.resolve(name));
                int removed = keepNewestBackups(dir, KEPT_BACKUPS);
                result = MaintenanceResult.done("backup written to " + file + " ("
                        + java.nio.file.Files.size(file) + " bytes)"
                        + (removed == 0 ? "" : "; " + removed + " older backups removed, the newest " + KEPT_BACKUPS + " kept"));
            } catch (RuntimeException | java.io.IOException e) {
                result = MaintenanceResult.failed("backup failed: " + rootMessage(e));
            }
            return audited(s, "maintenance-backup", caller, result);
        }

        /** Deletes all but the newest {@code keep} {@code grace-*.zip} files (their names sort by time); returns how many went. */
        private int keepNewestBackups(java.nio.file.Path dir, int keep) throws java.io.IOException {
            List<java.nio.file.Path> zips;
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
                zips = files.filter(f -> f.getFileName().toString().matches("grace-\\d{8}-\\d{6}\\.zip"))
                        .sorted(java.util.Comparator.comparing(java.nio.file.Path::getFileName).reversed()).toList();
            }
            int removed = 0;
            for (int i = keep; i < zips.size(); i++) {
                if (java.nio.file.Files.deleteIfExists(zips.get(i))) {
                    removed++;
                }
            }
            return removed;
        }

        private String storeAbsent() {
            return config.store().enabled() ? "the store is not open (the runtime has not started or has closed)"
                    : "the store is off (store.enabled=false)";
        }

        private MaintenanceResult audited(StoreWriter s, String kind, String caller, MaintenanceResult result) {
            s.audit(kind, (result.done() ? "" : result.applicable() ? "failed: " : "not applicable: ") + result.detail()
                    + " (at the request of " + caller + ")");
            return result;
        }
    }

    /**
     * Quarantines a plugin on another plugin's request: stops it and keeps it stopped. Refused for
     * the caller itself, an unknown plugin, or one already quarantined.
     */
    private boolean quarantineFor(String caller, String pluginId, String reason) {
        if (caller.equals(pluginId) || closed) {
            return false;
        }
        ManagedPlugin target = null;
        for (ManagedPlugin p : snapshot) {
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

    /**
     * How to build a {@link GraceRuntime}. Every setting has a default: the default configuration,
     * the system UTC clock, classpath discovery with this class's loader, no extra plugins.
     */
    public static final class Builder {
        private GraceConfig config = GraceConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private boolean discoverClasspath = true;
        private ClassLoader classLoader = GraceRuntime.class.getClassLoader();
        private final List<DomainPlugin> plugins = new ArrayList<>();
        private RawEventSink rawEventSink;
        private RejectionListener rejectionListener;
        private SchedulerFactory schedulers;
        private RuntimeEvents events = RuntimeEvents.NONE;
        private boolean superviseAutomatically = true;

        private final List<AlertChannel> alertChannels = new ArrayList<>();
        private boolean evaluateAutomatically = true;

        private Builder() {
        }

        /** Told of refusals, restarts and quarantines (the store's audit log); default: nobody. */
        public Builder events(RuntimeEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** Adds an alert channel; it receives every alert type. */
        public Builder alertChannel(AlertChannel channel) {
            alertChannels.add(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /**
         * Whether the runtime evaluates due hours by itself, on a thread that wakes each minute
         * (default true). Tests that move a controllable clock turn it off and call
         * {@code cognition().evaluateDue()}.
         */
        public Builder evaluate(boolean automatically) {
            this.evaluateAutomatically = automatically;
            return this;
        }

        /**
         * Whether the runtime calls {@link GraceRuntime#supervise()} itself, every
         * {@code supervision.interval} (default true). Tests that drive a manual clock turn it off
         * and call {@code supervise()} after moving the clock.
         */
        public Builder supervise(boolean automatically) {
            this.superviseAutomatically = automatically;
            return this;
        }

        /** The configuration (data directory, plugin directories, publisher limits, plugin sections). */
        public Builder config(GraceConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The clock plugins and the publisher read; hours are UTC whatever its zone. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether to discover plugins on the classpath (default true). Plugin directories are always scanned. */
        public Builder discoverClasspath(boolean discover) {
            this.discoverClasspath = discover;
            return this;
        }

        /** The class loader for classpath discovery, and the parent of plugin jars' loaders. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "classLoader");
            return this;
        }

        /** Adds a plugin instance made by the host; it goes through the same checks and lifecycle. */
        public Builder plugin(DomainPlugin plugin) {
            this.plugins.add(Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        /**
         * Where accepted values go as raw events, in batches on the runtime's own thread. Without a
         * sink (or with {@code publisher.rawEvents: false}) no raw events are queued at all.
         */
        public Builder rawEventSink(RawEventSink sink) {
            this.rawEventSink = sink;
            return this;
        }

        /** Told of every rejection, for test harnesses and diagnostics. */
        public Builder rejectionListener(RejectionListener listener) {
            this.rejectionListener = listener;
            return this;
        }

        /** Makes each plugin's scheduler (default: one thread per plugin, failures logged and counted). */
        public Builder schedulers(SchedulerFactory factory) {
            this.schedulers = factory;
            return this;
        }

        /** Builds the runtime; nothing is discovered or started until {@link GraceRuntime#start()}. */
        public GraceRuntime build() {
            return new GraceRuntime(this);
        }
    }
}
