package dev.grace.runtime.internal.view;

import dev.grace.api.Kpi;
import dev.grace.api.MaintenanceResult;
import dev.grace.api.RuntimeActions;
import dev.grace.api.RuntimeView;
import dev.grace.api.RuntimeView.BenchmarkView;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.extension.AdminService;
import dev.grace.runtime.extension.CognitionService;
import dev.grace.runtime.extension.CommitLatency;
import dev.grace.runtime.extension.StoreService;
import dev.grace.runtime.internal.ConditionLog;
import dev.grace.runtime.internal.lifecycle.PluginAccess;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.runtime.store.RollupQuery;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime as plugins see it ({@link RuntimeView}) and may change it ({@link RuntimeActions}).
 * Reads go to snapshots and never take the runtime's lock, so a plugin may call them from its
 * own {@code start} while the runtime is starting it. A store or cognition failure never reaches a
 * plugin: the view answers from memory (the hours held there, the last benchmarks read) and says so
 * through {@link RuntimeView#storedDataAvailable()}; the failure is logged once per outage.
 */
public final class LiveView implements PluginAccess {

    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);

    /** What the runtime hands the view; every method is a lock-free snapshot. */
    public interface Backend {
        List<PluginStatus> plugins();

        Map<String, Long> stateSince();

        PublishStats stats();

        List<HourlyRollup> memoryRollups();

        long currentHourStart();

        /** A service an extension provides (the store, cognition, the admin server); empty when none is attached. */
        <T> Optional<T> service(Class<T> type);

        boolean quarantine(String caller, String pluginId, String reason);
    }

    private final Backend backend;
    private final Map<String, LatencyCursor> cursors = new ConcurrentHashMap<>();

    private final boolean storeEnabled;
    private final AtomicReference<List<BenchmarkView>> lastBenchmarks = new AtomicReference<>(List.of());
    private final ConditionLog storedReads;

    /**
     * @param storeEnabled whether the configuration asks for a store ({@code store.enabled}), to say why none is there
     * @param clock        the runtime's clock, for the outage log's once-a-minute lines
     */
    public LiveView(Backend backend, boolean storeEnabled, Clock clock) {
        this.backend = backend;
        this.storeEnabled = storeEnabled;
        this.storedReads = new ConditionLog(LOG, "plugins' reads of stored data fail; they get what memory holds", clock);
    }

    /** The store when it is attached and answered its last probe; a known-down store is not asked. */
    private Optional<StoreService> readableStore() {
        return store().filter(StoreService::lastKnownUp);
    }

    private Optional<StoreService> store() {
        return backend.service(StoreService.class);
    }

    private MaintenanceResult storeAbsent() {
        return MaintenanceResult.notApplicable(storeEnabled
                ? "the store is not open (the runtime has not started or has closed, or grace-store is not on the classpath)"
                : "the store is off (store.enabled=false)");
    }

    @Override
    public RuntimeView view(String pluginId) {
        return new View(pluginId);
    }

    @Override
    public RuntimeActions actions(String pluginId) {
        return new RuntimeActions() {
            @Override
            public boolean quarantine(String target, String reason) {
                return backend.quarantine(pluginId, target, reason);
            }

            @Override
            public boolean setBenchmarkThreshold(String benchmark, double threshold, String reason) {
                Optional<CognitionService> cognition = backend.service(CognitionService.class);
                if (cognition.isEmpty() || !cognition.get().setThreshold(benchmark, threshold)) {
                    return false;
                }
                String detail = "benchmark " + benchmark + " threshold set to " + threshold + " at the request of "
                        + pluginId + ": " + reason;
                LOG.warn(detail);
                backend.service(StoreService.class).ifPresent(s -> s.audit("benchmark-threshold", detail));
                return true;
            }

            @Override
            public MaintenanceResult purgeRetention() {
                return store().map(s -> s.purgeRetention(pluginId)).orElseGet(LiveView.this::storeAbsent);
            }

            @Override
            public MaintenanceResult verifyHour(Instant hourStart) {
                return store().map(s -> s.verifyHour(pluginId, hourStart)).orElseGet(LiveView.this::storeAbsent);
            }

            @Override
            public MaintenanceResult backup() {
                return store().map(s -> s.backup(pluginId)).orElseGet(LiveView.this::storeAbsent);
            }
        };
    }

    private final class View implements RuntimeView {
        private final String caller;

        View(String caller) {
            this.caller = caller;
        }

        @Override
        public List<PluginView> plugins() {
            Map<String, Long> since = backend.stateSince();
            List<PluginView> out = new ArrayList<>();
            for (PluginStatus s : backend.plugins()) {
                out.add(new PluginView(s.id(), s.domain(), s.version(), s.state().name(),
                        Instant.ofEpochMilli(since.getOrDefault(s.id(), 0L)), s.cause(), s.restarts(), s.warnings(),
                        s.source()));
            }
            return out;
        }

        @Override
        public List<DomainKpi> kpis() {
            List<DomainKpi> out = new ArrayList<>();
            for (PluginStatus s : backend.plugins()) {
                for (Kpi k : s.kpis()) {
                    out.add(new DomainKpi(s.id(), s.domain(), k));
                }
            }
            return out;
        }

        @Override
        public PublishCounts publishing() {
            PublishStats stats = backend.stats();
            long accepted = 0;
            long rejected = 0;
            long dropped = 0;
            for (String id : stats.pluginIds()) {
                PublishStats.PluginFigures f = stats.perPlugin().get(id);
                accepted += f.accepted();
                rejected += f.rejectedTotal();
                dropped += f.rawDropped();
            }
            return new PublishCounts(accepted, rejected, dropped);
        }

        @Override
        public List<HourPoint> hourly(String domain, String kpi, Instant since) {
            long current = backend.currentHourStart();
            RollupQuery store = readableStore().map(StoreService::reader).orElse(null);
            List<HourPoint> out = new ArrayList<>();
            long storedUpTo = Long.MIN_VALUE;
            if (store != null) {
                // closed hours from the store, merged across nodes; the open hour from memory, which is fresher
                List<PeriodRollup> stored;
                try {
                    stored = store.rollups(domain, kpi, Period.HOUR, since);
                    storedReads.cleared();
                } catch (RuntimeException e) {
                    storedReads.failed(e);
                    stored = List.of();
                    store = null; // every hour memory holds, as without a store
                }
                for (PeriodRollup r : stored) {
                    if (r.start().toEpochMilli() < current) {
                        out.add(new HourPoint(r.start(), r.count(), r.mean(), r.min(), r.max(), true));
                        storedUpTo = Math.max(storedUpTo, r.start().toEpochMilli());
                    }
                }
            }
            for (HourlyRollup r : backend.memoryRollups()) {
                long start = r.hourStart().toEpochMilli();
                boolean wanted = store == null ? true : start == current || start > storedUpTo && start < current;
                if (wanted && r.domain().equals(domain) && r.kpi().equals(kpi) && !r.hourStart().isBefore(since)
                        && r.count() > 0) {
                    out.add(new HourPoint(r.hourStart(), r.count(), r.mean(), r.min(), r.max(),
                            r.hourStart().toEpochMilli() < current));
                }
            }
            out.sort(Comparator.comparing(HourPoint::hour));
            return out;
        }

        @Override
        public OptionalDouble persistLatencySeconds() {
            CommitLatency totals = store().map(StoreService::commitLatency).orElse(null);
            if (totals == null) {
                return OptionalDouble.empty();
            }
            return cursors.computeIfAbsent(caller, c -> new LatencyCursor(totals)).next();
        }

        @Override
        public Optional<URI> adminEndpoint() {
            return backend.service(AdminService.class).flatMap(AdminService::endpoint);
        }

        @Override
        public List<BenchmarkView> benchmarks() {
            Optional<CognitionService> cognition = backend.service(CognitionService.class);
            if (cognition.isEmpty()) {
                return List.of();
            }
            if (store().isPresent() && readableStore().isEmpty()) {
                return lastBenchmarks.get();
            }
            try {
                List<BenchmarkView> read = List.copyOf(cognition.get().benchmarks());
                lastBenchmarks.set(read);
                storedReads.cleared();
                return read;
            } catch (RuntimeException e) {
                storedReads.failed(e);
                return lastBenchmarks.get();
            }
        }

        @Override
        public boolean storedDataAvailable() {
            return store().map(StoreService::lastKnownUp).orElse(true) && !storedReads.active();
        }
    }
}
