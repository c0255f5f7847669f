package dev.grace.cognition.internal;

import dev.grace.runtime.config.BenchmarkSpec;
import dev.grace.store.internal.CatalogDao;
import dev.grace.store.internal.StoreReader;
import dev.grace.api.Kpi;
import dev.grace.api.RuntimeView;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.config.CognitionConfig;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.store.internal.AuditLogDao;
import dev.grace.store.internal.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Cognition over one store. Each evaluation of an hour is one transaction that first claims the
 * hour in {@code cognition_hours}; a second attempt, from this runtime or another, finds it claimed
 * and writes nothing. Alerts are sent after the commit.
 *
 * <p>The engine decides which hours are due and holds the lease; what one hour's evaluation computes
 * and writes is {@link HourEvaluator}, reading status and readiness {@link StatusReader}, runtime
 * threshold changes {@link Thresholds}, and where alerts go {@link AlertRoutes}.
 */
public final class CognitionEngine implements Cognition {

    private static final Logger LOG = LoggerFactory.getLogger(CognitionEngine.class);
    static final long HOUR = 3_600_000L;

    private final Database db;
    private final CognitionDao dao;
    private final String node;
    private final Clock clock;
    private final CognitionConfig config;
    private final Thresholds thresholds;
    private final HourEvaluator evaluator;
    private final StatusReader reader;
    private final AlertRoutes alerts;
    private final AuditLogDao auditLog = new AuditLogDao();
    private final Path alertsFile;
    private final Runnable beforeEvaluation;
    /** Grows whenever the store may hold new data (each store flush); null to never cache reads. */
    private final LongSupplier dataVersion;
    /** Bumped by every evaluation written, so cached reads never outlive one. */
    private final AtomicLong evaluations = new AtomicLong();
    private volatile Cached<Status> statusCache;
    private volatile Cached<Readiness> readinessCache;

    /** A read result and the data it was computed from. */
    private record Cached<T>(long hour, long version, T value) {
    }

    /**
     * @param beforeEvaluation run before due hours are looked for: a runtime flushes its store so
     *                         that the hours' rollups are written
     * @param extraChannels    the host's channels; they receive every alert type
     * @throws IllegalArgumentException naming the config key for a bad benchmark line, weight or webhook URL
     */
    public CognitionEngine(Database db, String node, Clock clock, CognitionConfig config, Path dataDir,
                           Runnable beforeEvaluation, List<AlertChannel> extraChannels) {
        this(db, node, clock, config, dataDir, beforeEvaluation, extraChannels, null);
    }

    /**
     * @param dataVersion grows whenever the store may hold new data (a runtime passes its store
     *                    writer's flush count); {@link #status()} and {@link #readiness()} are then
     *                    computed once per version and hour, so that many readers (the dashboard,
     *                    scrapers) cost one computation per flush. Null computes every read afresh.
     */
    public CognitionEngine(Database db, String node, Clock clock, CognitionConfig config, Path dataDir,
                           Runnable beforeEvaluation, List<AlertChannel> extraChannels,
                           LongSupplier dataVersion) {
        this.dataVersion = dataVersion;
        this.db = db;
        this.dao = new CognitionDao(db.vendor());
        this.node = node;
        this.clock = clock;
        this.config = config;
        this.thresholds = new Thresholds(BenchmarkSpec.parse(config.benchmarks()));
        Map<String, Double> weights = CognitionConfig.parseWeights(config.weights());
        this.evaluator = new HourEvaluator(dao, new StoreReader(db), node, config, weights);
        this.reader = new StatusReader(db, dao, clock, config, weights, thresholds);
        this.alertsFile = dataDir.resolve("alerts.jsonl");
        this.beforeEvaluation = beforeEvaluation;
        this.alerts = new AlertRoutes(config, alertsFile, clock, extraChannels);
    }

    /**
     * Checks each series benchmark against the KPIs the plugins found declare: where a plugin of its
     * domain declares its KPI, the KPI must declare the benchmark's attribute key, and allow its value.
     * A KPI no plugin found declares is not checked (another runtime sharing the store may publish it).
     *
     * @throws IllegalArgumentException naming the line and what the KPI declares
     */
    public static void checkSeries(List<String> lines, List<PluginStatus> plugins) {
        List<BenchmarkSpec> specs = BenchmarkSpec.parse(lines);
        for (int i = 0; i < specs.size(); i++) {
            BenchmarkSpec spec = specs.get(i);
            if (!spec.isSeries()) {
                continue;
            }
            BenchmarkSpec.Series s = spec.series();
            for (PluginStatus p : plugins) {
                for (Kpi k : p.kpis()) {
                    if (!p.domain().equals(s.domain()) || !k.name().equals(s.kpi())) {
                        continue;
                    }
                    String where = "cognition.benchmarks item " + (i + 1) + " '" + lines.get(i) + "'";
                    Kpi.Attribute a = k.attribute(s.key());
                    if (a == null) {
                        throw new IllegalArgumentException(where + ": KPI " + s.domain() + "/" + s.kpi()
                                + " (plugin " + p.id() + ") declares no attribute " + s.key() + (k.hasAttributes()
                                ? "; its attributes: " + String.join(", ", k.attributes().stream()
                                        .map(Kpi.Attribute::key).toList())
                                : "; it declares none"));
                    }
                    if (!a.allows(s.value())) {
                        throw new IllegalArgumentException(where + ": attribute " + s.key() + " of KPI " + s.domain()
                                + "/" + s.kpi() + " allows only " + String.join(", ", a.allowed()) + ", not "
                                + s.value());
                    }
                }
            }
        }
    }

    /** The benchmarks in force, with thresholds changed at runtime applied. */
    List<BenchmarkSpec> specs() {
        return thresholds.specs();
    }

    /** Changes a benchmark's threshold from the next evaluated hour on; false for an unknown name or a bad value. */
    public boolean setThreshold(String benchmark, double threshold) {
        return thresholds.set(benchmark, threshold);
    }

    /** Alerts that a channel failed to take or deliver. */
    public long alertFailures() {
        return alerts.failures();
    }

    // --- evaluation -----------------------------------------------------------------------------

    @Override
    public synchronized List<BenchmarkState> evaluateDue() {
        if (!config.enabled()) {
            return List.of();
        }
        beforeEvaluation.run();
        long seconds = Math.max(1, config.lease().toSeconds());
        if (!db.jdbi().withHandle(h -> dao.tryLease(h, node, seconds))) {
            LOG.debug("another runtime holds the evaluation lease");
            return List.of();
        }
        List<BenchmarkState> written = new ArrayList<>();
        try {
            for (long hour : dueHours()) {
                if (!db.jdbi().withHandle(h -> dao.tryLease(h, node, seconds))) {
                    break; // the lease ran out and another runtime took it: it carries on from here
                }
                GuardDao.Changes[] changes = {null};
                HourEvaluator.Evaluation e = db.jdbi().inTransaction(h -> {
                    long now = clock.millis();
                    if (!dao.claimHour(h, hour, node, now)) {
                        return null;
                    }
                    HourEvaluator.Evaluation ev = evaluator.compute(h, specs(), hour, now);
                    changes[0] = evaluator.write(h, ev);
                    return ev;
                });
                if (e != null) {
                    evaluations.incrementAndGet();
                    written.addAll(e.states());
                    audit(hour, changes[0]);
                    alerts.send(e.alerts());
                }
            }
        } finally {
            db.jdbi().useHandle(h -> dao.releaseLease(h, node));
        }
        return written;
    }

    /**
     * One audit entry per flag the guard raised or cleared in an evaluated hour, after its commit. An
     * audit log that cannot be written is logged, never thrown: the flags themselves are committed.
     */
    private void audit(long hour, GuardDao.Changes changes) {
        if (changes == null || changes.isEmpty()) {
            return;
        }
        String at = " (hour " + Instant.ofEpochMilli(hour) + ")";
        try {
            for (Guard.Found f : changes.raised()) {
                auditLog.append(db.jdbi(), clock.millis(), node, "guard_flag_raised",
                        f.domain() + "." + f.kpi() + " " + f.flag() + ": " + f.detail() + at);
            }
            for (KpiFlag f : changes.cleared()) {
                auditLog.append(db.jdbi(), clock.millis(), node, "guard_flag_cleared",
                        f.domain() + "." + f.kpi() + " " + f.flag() + " cleared, raised " + f.since() + at);
            }
        } catch (RuntimeException x) {
            LOG.warn("could not audit the guard's flags for {}: {}", Instant.ofEpochMilli(hour), x.toString());
        }
    }

    /** Hours due and not yet evaluated, oldest first. */
    List<Long> dueHours() {
        long now = clock.millis();
        long last = Math.floorDiv(now - config.gracePeriod().toMillis() - HOUR, HOUR) * HOUR;
        int window = thresholds.configured().stream().mapToInt(BenchmarkSpec::windowHours).max().orElse(1);
        long earliest = last - (window - 1L) * HOUR;
        OptionalLong evaluated = db.jdbi().withHandle(dao::lastEvaluatedHour);
        long from;
        if (evaluated.isPresent()) {
            from = Math.max(evaluated.getAsLong() + HOUR, earliest);
        } else {
            OptionalLong first = db.jdbi().withHandle(h -> dao.earliestRollupHour(h, earliest));
            if (first.isEmpty()) {
                return List.of();
            }
            from = first.getAsLong();
        }
        List<Long> hours = new ArrayList<>();
        for (long h = from; h <= last; h += HOUR) {
            hours.add(h);
        }
        return hours;
    }

    @Override
    public List<BenchmarkState> evaluation(Instant hour) {
        long start = Math.floorDiv(hour.toEpochMilli(), HOUR) * HOUR;
        return db.jdbi().withHandle(h -> {
            if (dao.evaluated(h, start)) {
                List<BenchmarkState> out = new ArrayList<>();
                for (BenchmarkSpec s : specs()) {
                    for (String metric : HourEvaluator.metricsOf(s, dao.catalog(h))) {
                        dao.benchmarkAt(h, s.name(), metric, start).ifPresent(r -> out.add(HourEvaluator.state(r)));
                    }
                }
                return out;
            }
            return evaluator.compute(h, specs(), start, clock.millis()).states();
        });
    }

    @Override
    public Optional<Instant> lastEvaluatedHour() {
        OptionalLong last = db.jdbi().withHandle(dao::lastEvaluatedHour);
        return last.isPresent() ? Optional.of(Instant.ofEpochMilli(last.getAsLong())) : Optional.empty();
    }


    // --- reading --------------------------------------------------------------------------------

    @Override
    public Status status() {
        long hour = Math.floorDiv(clock.millis(), HOUR) * HOUR;
        long version = version();
        Cached<Status> c = statusCache;
        if (c != null && version >= 0 && c.hour() == hour && c.version() == version) {
            return c.value();
        }
        Status s = status(Instant.ofEpochMilli(hour));
        if (version >= 0) {
            statusCache = new Cached<>(hour, version, s);
        }
        return s;
    }

    /** The data's version, or -1 when reads are not cached. */
    private long version() {
        return dataVersion == null ? -1 : dataVersion.getAsLong() * 1_000_003L + evaluations.get();
    }

    @Override
    public Status status(Instant at) {
        return reader.status(at);
    }

    @Override
    public Readiness readiness() {
        long version = version();
        Cached<Readiness> c = readinessCache;
        if (c != null && version >= 0 && c.version() == version) {
            return c.value();
        }
        Readiness r = reader.readiness();
        if (version >= 0) {
            readinessCache = new Cached<>(0, version, r);
        }
        return r;
    }

    @Override
    public List<BenchmarkState> history(String metric, Instant since) {
        String m = metric;
        for (BenchmarkSpec s : thresholds.configured()) {
            if (s.name().equals(metric) && !s.perDomain()) {
                m = s.metric();
            }
        }
        String wanted = m;
        return db.jdbi().withHandle(h -> {
            List<String> known = dao.metrics(h);
            if (!known.contains(wanted)) {
                throw new IllegalArgumentException("no benchmark history for metric '" + metric + "'"
                        + (known.isEmpty() ? ": nothing has been evaluated yet" : "; known: " + String.join(", ", known)));
            }
            return dao.history(h, wanted, since.toEpochMilli()).stream().map(HourEvaluator::state).toList();
        });
    }

    @Override
    public List<Alert> alerts(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return FileAlertChannel.read(alertsFile, limit);
    }

    @Override
    public Path writeReport(Path file) {
        return ReportWriter.write(this, file, clock);
    }

    /** The benchmarks for plugins' {@link RuntimeView#benchmarks()}: latest value and sustained state. */
    public List<RuntimeView.BenchmarkView> views() {
        Map<String, CognitionDao.BenchmarkRow> latest = new HashMap<>();
        for (CognitionDao.BenchmarkRow r : db.jdbi().withHandle(dao::latest)) {
            latest.put(r.benchmark() + "|" + r.metric(), r);
        }
        List<RuntimeView.BenchmarkView> out = new ArrayList<>();
        List<CatalogDao.CatalogKpi> catalog = db.jdbi().withHandle(dao::catalog);
        for (BenchmarkSpec s : specs()) {
            for (String metric : HourEvaluator.metricsOf(s, catalog)) {
                CognitionDao.BenchmarkRow r = latest.get(s.name() + "|" + metric);
                out.add(new RuntimeView.BenchmarkView(s.name(), metric, s.threshold(),
                        r == null || r.value() == null ? OptionalDouble.empty() : OptionalDouble.of(r.value()),
                        r != null && r.state().equals("sustained")));
            }
        }
        return out;
    }

    public void close() {
        alerts.close();
    }
}
