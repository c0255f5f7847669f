package dev.grace.runtime.internal.view;

import dev.grace.api.Kpi;
import dev.grace.api.MaintenanceResult;
import dev.grace.api.RuntimeActions;
import dev.grace.api.RuntimeView;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.internal.lifecycle.PluginAccess;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.runtime.store.RollupQuery;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime as plugins see it ({@link RuntimeView}) and may change it ({@link RuntimeActions}).
 * Reads go to snapshots and never take the runtime's lock, so a plugin may call them from its
 * own {@code start} while the runtime is starting it.
 */
public final class LiveView implements PluginAccess {

    /** What the runtime hands the view; every method is a lock-free snapshot. */
    public interface Backend {
        List<PluginStatus> plugins();

        Map<String, Long> stateSince();

        PublishStats stats();

        List<HourlyRollup> memoryRollups();

        long currentHourStart();

        /** The store's reader, or null when the store is off or not open. */
        RollupQuery store();

        /** The store's latency totals, or null when the store is off or not open. */
        LatencyCursor.Totals persistLatency();

        Optional<URI> adminEndpoint();

        List<RuntimeView.BenchmarkView> benchmarks();

        boolean quarantine(String caller, String pluginId, String reason);

        boolean setBenchmarkThreshold(String caller, String benchmark, double threshold, String reason);

        /** The store's retention purge, now, audited with the caller; never throws. */
        MaintenanceResult purgeRetention(String caller);

        /** Verify of one hour's rollups against the raw events, audited with the caller; never throws. */
        MaintenanceResult verifyHour(String caller, Instant hourStart);

        /** An online backup of the H2 store, audited with the caller; never throws. */
        MaintenanceResult backup(String caller);
    }

    private final Backend backend;
    private final Map<String, LatencyCursor> cursors = new ConcurrentHashMap<>();

    public LiveView(Backend backend) {
        this.backend = backend;
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
                return backend.setBenchmarkThreshold(pluginId, benchmark, threshold, reason);
            }

            @Override
            public MaintenanceResult purgeRetention() {
                return backend.purgeRetention(pluginId);
            }

            @Override
            public MaintenanceResult verifyHour(Instant hourStart) {
                return backend.verifyHour(pluginId, hourStart);
            }

            @Override
            public MaintenanceResult backup() {
                return backend.backup(pluginId);
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
            RollupQuery store = backend.store();
            List<HourPoint> out = new ArrayList<>();
            long storedUpTo = Long.MIN_VALUE;
            if (store != null) {
                // closed hours from the store, merged across nodes; the open hour from memory, which is fresher
                for (PeriodRollup r : store.rollups(domain, kpi, Period.HOUR, since)) {
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
            LatencyCursor.Totals totals = backend.persistLatency();
            if (totals == null) {
                return OptionalDouble.empty();
            }
            return cursors.computeIfAbsent(caller, c -> new LatencyCursor(totals)).next();
        }

        @Override
        public Optional<URI> adminEndpoint() {
            return backend.adminEndpoint();
        }

        @Override
        public List<BenchmarkView> benchmarks() {
            return backend.benchmarks();
        }
    }
}
