package dev.grace.cognition.internal;

import dev.grace.runtime.config.BenchmarkSpec;
import dev.grace.store.internal.CatalogDao;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.grace.api.RuntimeView;
import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.config.CognitionConfig;
import dev.grace.store.internal.Database;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cognition over one store. Each evaluation of an hour is one transaction that first claims the
 * hour in {@code cognition_hours}; a second attempt, from this runtime or another, finds it claimed
 * and writes nothing. Alerts are sent after the commit.
 */
public final class CognitionEngine implements Cognition {

    private static final Logger LOG = LoggerFactory.getLogger(CognitionEngine.class);
    static final long HOUR = 3_600_000L;

    private final Database db;
    private final CognitionDao dao;
    private final String node;
    private final Clock clock;
    private final CognitionConfig config;
    private final List<BenchmarkSpec> specs;
    private final Map<String, Double> weights;
    private final Map<String, Double> thresholdOverrides = new ConcurrentHashMap<>();
    private final Path alertsFile;
    private final List<Route> routes = new ArrayList<>();
    private final Runnable beforeEvaluation;
    /** Grows whenever the store may hold new data (each store flush); null to never cache reads. */
    private final java.util.function.LongSupplier dataVersion;
    /** Bumped by every evaluation written, so cached reads never outlive one. */
    private final AtomicLong evaluations = new AtomicLong();
    private volatile Cached<Status> statusCache;
    private volatile Cached<Readiness> readinessCache;

    /** A read result and the data it was computed from. */
    private record Cached<T>(long hour, long version, T value) {
    }
    private final AtomicLong alertFailures = new AtomicLong();
    private final FileAlertChannel file;
    private WebhookAlertChannel webhook;

    /** A channel and the alert types it receives ({@code all} for every type). */
    private record Route(AlertChannel channel, List<String> types) {
        boolean wants(String type) {
            return types.contains("all") || types.contains(type);
        }
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
                           java.util.function.LongSupplier dataVersion) {
        this.dataVersion = dataVersion;
        this.db = db;
        this.dao = new CognitionDao(db.vendor());
        this.node = node;
        this.clock = clock;
        this.config = config;
        this.specs = BenchmarkSpec.parse(config.benchmarks());
        this.weights = CognitionConfig.parseWeights(config.weights());
        this.alertsFile = dataDir.resolve("alerts.jsonl");
        this.beforeEvaluation = beforeEvaluation;
        this.file = new FileAlertChannel(alertsFile);
        routes.add(new Route(new LogAlertChannel(), config.logAlerts()));
        routes.add(new Route(file, config.fileAlerts()));
        if (config.webhookUrl() != null) {
            webhook = new WebhookAlertChannel(config.webhookUrl(), config.webhookTimeout(), config.webhookRetries(),
                    java.time.Duration.ofSeconds(1), this::deliveryFailed);
            routes.add(new Route(webhook, config.webhookAlerts()));
        }
        for (AlertChannel c : extraChannels) {
            routes.add(new Route(c, List.of("all")));
        }
    }

    /** The benchmarks in force, with thresholds changed at runtime applied. */
    List<BenchmarkSpec> specs() {
        List<BenchmarkSpec> out = new ArrayList<>(specs.size());
        for (BenchmarkSpec s : specs) {
            Double t = thresholdOverrides.get(s.name());
            out.add(t == null ? s : s.withThreshold(t));
        }
        return out;
    }

    /** Changes a benchmark's threshold from the next evaluated hour on; false for an unknown name or a bad value. */
    public boolean setThreshold(String benchmark, double threshold) {
        if (!(threshold >= 0 && threshold <= 1) || specs.stream().noneMatch(s -> s.name().equals(benchmark))) {
            return false;
        }
        thresholdOverrides.put(benchmark, threshold);
        return true;
    }

    /** Alerts that a channel failed to take or deliver. */
    public long alertFailures() {
        return alertFailures.get() + (webhook == null ? 0 : webhook.failures());
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
                Evaluation e = db.jdbi().inTransaction(h -> {
                    long now = clock.millis();
                    if (!dao.claimHour(h, hour, node, now)) {
                        return null;
                    }
                    Evaluation ev = compute(h, hour, now);
                    write(h, ev);
                    return ev;
                });
                if (e != null) {
                    evaluations.incrementAndGet();
                    written.addAll(e.states());
                    send(e.alerts());
                }
            }
        } finally {
            db.jdbi().useHandle(h -> dao.releaseLease(h, node));
        }
        return written;
    }

    /** Hours due and not yet evaluated, oldest first. */
    List<Long> dueHours() {
        long now = clock.millis();
        long last = Math.floorDiv(now - config.gracePeriod().toMillis() - HOUR, HOUR) * HOUR;
        int window = specs.stream().mapToInt(BenchmarkSpec::windowHours).max().orElse(1);
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
                    for (String metric : metricsOf(s, dao.catalog(h))) {
                        dao.benchmarkAt(h, s.name(), metric, start).ifPresent(r -> out.add(state(r)));
                    }
                }
                return out;
            }
            return compute(h, start, clock.millis()).states();
        });
    }

    @Override
    public Optional<Instant> lastEvaluatedHour() {
        OptionalLong last = db.jdbi().withHandle(dao::lastEvaluatedHour);
        return last.isPresent() ? Optional.of(Instant.ofEpochMilli(last.getAsLong())) : Optional.empty();
    }

    /** One evaluated hour: what to write and what to send. */
    record Evaluation(long hour, Scorer.HourScores scores, List<CognitionDao.BenchmarkRow> rows,
                      List<BenchmarkState> states, List<CognitionDao.EventRow> events, List<Alert> alerts,
                      List<CognitionDao.DomainMetricsRow> domainMetrics) {
    }

    private static List<String> metricsOf(BenchmarkSpec s, List<CatalogDao.CatalogKpi> catalog) {
        if (!s.perDomain()) {
            return List.of(s.metric());
        }
        return catalog.stream().map(CatalogDao.CatalogKpi::domain).distinct().sorted().map(s::metricFor).toList();
    }

    private static Double value(String metric, Scorer.HourScores scores) {
        int dot = metric.lastIndexOf('.');
        String scope = metric.substring(0, dot);
        Scores s;
        if (scope.equals("overall")) {
            s = scores.overall();
        } else {
            Scorer.DomainScore d = scores.domains().get(scope);
            s = d == null ? Scores.GAP : d.scores();
        }
        return switch (metric.substring(dot + 1)) {
            case "health" -> s.health();
            case "trust" -> s.trust();
            default -> s.confidence();
        };
    }

    Evaluation compute(Handle h, long hour, long now) {
        List<CatalogDao.CatalogKpi> catalog = dao.catalog(h);
        Scorer.HourScores scores = Scorer.score(catalog, dao.hour(h, hour), dao.rejections(h, hour), weights);
        Scores overall = scores.overall();
        List<CognitionDao.BenchmarkRow> rows = new ArrayList<>();
        List<BenchmarkState> states = new ArrayList<>();
        List<CognitionDao.EventRow> events = new ArrayList<>();
        boolean allSustained = true;
        boolean allSustainedBefore = true;
        int judged = 0;
        for (BenchmarkSpec s : specs()) {
            for (String metric : metricsOf(s, catalog)) {
                Double v = value(metric, scores);
                Optional<CognitionDao.BenchmarkRow> prev = dao.benchmarkAt(h, s.name(), metric, hour - HOUR);
                int samples = dao.samples(h, s.name(), metric, hour - (s.windowHours() - 1L) * HOUR, hour)
                        + (v == null ? 0 : 1);
                boolean meets = v != null && s.meets(v);
                int run = meets ? prev.map(CognitionDao.BenchmarkRow::runLength).orElse(0) + 1 : 0;
                String state = samples < s.minSamples() ? "insufficient"
                        : !meets ? "below" : run >= s.windowHours() ? "sustained" : "met";
                CognitionDao.BenchmarkRow row = new CognitionDao.BenchmarkRow(s.name(), metric, hour, v, s.threshold(),
                        s.direction(), s.windowHours(), s.minSamples(), samples, run, state, now);
                rows.add(row);
                states.add(state(row));
                String prevState = prev.map(CognitionDao.BenchmarkRow::state).orElse("none");
                boolean judgedMeets = state.equals("met") || state.equals("sustained");
                boolean judgedMeetsBefore = prevState.equals("met") || prevState.equals("sustained");
                if (judgedMeets && !judgedMeetsBefore) {
                    events.add(event("threshold_crossed", metric, hour, v, s.threshold(), overall, now,
                            s.name() + ": " + metric + " " + fmt(v) + " reached its threshold " + fmt(s.threshold())));
                }
                if (prevState.equals("sustained") && !state.equals("sustained")) {
                    events.add(event("threshold_lost", metric, hour, v, s.threshold(), overall, now,
                            s.name() + ": " + metric + (v == null ? " has no value (a gap)" : " fell to " + fmt(v))
                                    + " against its threshold " + fmt(s.threshold()) + " after being sustained over "
                                    + s.windowHours() + "h"));
                }
                allSustained &= state.equals("sustained");
                allSustainedBefore &= prevState.equals("sustained");
                judged++;
            }
        }
        if (judged > 0 && allSustained && !allSustainedBefore) {
            events.add(event("elevation_ready", "overall", hour, overall.health(), null, overall, now,
                    "every readiness benchmark (" + judged + ") is sustained over its full window"));
        }
        List<CognitionDao.DomainMetricsRow> domainMetrics = new ArrayList<>();
        for (Scorer.DomainScore d : scores.domains().values()) {
            Double health = d.scores().health();
            if (health != null && health < config.dipThreshold()) {
                Optional<Double> before = dao.lastKnownHealth(h, d.domain(), hour);
                if (before.isEmpty() || before.get() >= config.dipThreshold()) {
                    events.add(event("domain_dip", d.domain(), hour, health, config.dipThreshold(), overall, now,
                            "domain " + d.domain() + "'s health " + fmt(health) + " is under "
                                    + fmt(config.dipThreshold())));
                }
            }
        }
        for (Scorer.DomainScore d : scores.domains().values()) {
            Double trend = trend(h, d.domain(), hour, d.scores().health());
            int alerts = dao.eventCount(h, d.domain(), hour - 23 * HOUR, hour)
                    + (int) events.stream().filter(e -> concerns(e.subject(), d.domain())).count();
            domainMetrics.add(new CognitionDao.DomainMetricsRow(d.domain(), hour, d.scores().health(),
                    d.scores().trust(), d.scores().confidence(), json(d.kpis()), trend, alerts, now));
        }
        List<Alert> alerts = events.stream().map(e -> new Alert(Instant.ofEpochMilli(e.occurredAt()),
                Instant.ofEpochMilli(e.hour()), e.type(), e.subject(), e.value(), e.threshold(), e.message(),
                overall)).toList();
        return new Evaluation(hour, scores, rows, states, events, alerts, domainMetrics);
    }

    private static boolean concerns(String subject, String domain) {
        return subject.equals(domain) || subject.startsWith(domain + ".");
    }

    private Double trend(Handle h, String domain, long hour, Double health) {
        if (health == null) {
            return null;
        }
        return dao.meanHealth(h, domain, hour - 24 * HOUR, hour).map(mean -> health - mean).orElse(null);
    }

    private CognitionDao.EventRow event(String type, String subject, long hour, Double value, Double threshold,
                                        Scores overall, long now, String message) {
        return new CognitionDao.EventRow(type, subject, hour, value, threshold, overall.health(), overall.trust(),
                overall.confidence(), message, now, node);
    }

    private void write(Handle h, Evaluation e) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (Scorer.DomainScore d : e.scores().domains().values()) {
            scores.put(d.domain(), array(d.scores()));
        }
        scores.put(CognitionDao.OVERALL, array(e.scores().overall()));
        dao.insertScores(h, e.hour(), scores);
        dao.insertBenchmarks(h, e.rows());
        dao.insertEvents(h, e.events());
        dao.upsertDomainMetrics(h, e.domainMetrics());
    }

    private static double[] array(Scores s) {
        return s.present() ? new double[] {s.health(), s.trust(), s.confidence()} : null;
    }

    static BenchmarkState state(CognitionDao.BenchmarkRow r) {
        return new BenchmarkState(r.benchmark(), r.metric(), r.threshold(), r.direction(), r.windowHours(),
                r.minSamples(), Instant.ofEpochMilli(r.hour()), r.value(), r.samples(), r.state(), missing(r));
    }

    /** What stands between a benchmark and being sustained, in one line; empty when sustained. */
    static String missing(CognitionDao.BenchmarkRow r) {
        String below = r.direction().equals("at_least") ? "below" : "above";
        return switch (r.state()) {
            case "sustained" -> "";
            case "insufficient" -> (r.minSamples() - r.samples()) + " more hours with a value before it is judged ("
                    + r.samples() + " of " + r.minSamples() + ")";
            case "met" -> (r.windowHours() - r.runLength()) + " more hours at its threshold to be sustained ("
                    + r.runLength() + " of " + r.windowHours() + ")";
            default -> r.value() == null ? "no value in the hour (a gap)"
                    : fmt(r.value()) + ": " + fmt(Math.abs(r.threshold() - r.value())) + " " + below + " "
                    + fmt(r.threshold());
        };
    }

    static String fmt(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String json(Object o) {
        try {
            return AlertJson.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- alerts ---------------------------------------------------------------------------------

    private void send(List<Alert> alerts) {
        for (Alert a : alerts) {
            for (Route r : routes) {
                if (!r.wants(a.type())) {
                    continue;
                }
                try {
                    r.channel().send(a);
                } catch (Exception | LinkageError e) {
                    alertFailures.incrementAndGet();
                    LOG.warn("alert channel {} failed for {} {}: {}", r.channel().name(), a.type(), a.subject(),
                            e.toString());
                }
            }
        }
    }

    /** A webhook gave up on an alert: recorded in the file, so that {@code grace alerts} shows it. */
    private void deliveryFailed(String line) {
        Instant now = clock.instant();
        try {
            file.send(new Alert(now, now.truncatedTo(java.time.temporal.ChronoUnit.HOURS), "delivery_failed",
                    "webhook", null, null, line, Scores.GAP));
        } catch (Exception e) {
            alertFailures.incrementAndGet();
        }
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
        long hour = Math.floorDiv(at.toEpochMilli(), HOUR) * HOUR;
        long current = Math.floorDiv(clock.millis(), HOUR) * HOUR;
        return db.jdbi().withHandle(h -> {
            List<CatalogDao.CatalogKpi> catalog = dao.catalog(h);
            Scorer.HourScores live = Scorer.score(catalog, dao.hour(h, hour), dao.rejections(h, hour), weights);
            Map<String, Double[]> stored = dao.evaluated(h, hour) ? dao.scores(h, hour) : Map.of();
            // two statements for every domain's trend and alert count, not two per domain
            Map<String, Double> means = dao.meanHealths(h, hour - 24 * HOUR, hour);
            Map<String, Integer> events = dao.eventCounts(h, hour - 23 * HOUR, hour + HOUR);
            List<DomainStatus> domains = new ArrayList<>();
            for (Scorer.DomainScore d : live.domains().values()) {
                Scores s = stored.containsKey(d.domain()) ? scores(stored.get(d.domain())) : d.scores();
                Double mean = means.get(d.domain());
                Double trend = s.health() == null || mean == null ? null : s.health() - mean;
                int alerts = events.entrySet().stream().filter(e -> concerns(e.getKey(), d.domain()))
                        .mapToInt(Map.Entry::getValue).sum();
                domains.add(new DomainStatus(d.domain(), s, d.kpis(), trend, alerts));
            }
            Scores overall = stored.containsKey(CognitionDao.OVERALL) ? scores(stored.get(CognitionDao.OVERALL))
                    : live.overall();
            return new Status(Instant.ofEpochMilli(hour), hour >= current, overall, domains);
        });
    }

    private static Scores scores(Double[] s) {
        return new Scores(s[0], s[1], s[2]);
    }

    @Override
    public Readiness readiness() {
        long version = version();
        Cached<Readiness> c = readinessCache;
        if (c != null && version >= 0 && c.version() == version) {
            return c.value();
        }
        Readiness r = computeReadiness();
        if (version >= 0) {
            readinessCache = new Cached<>(0, version, r);
        }
        return r;
    }

    private Readiness computeReadiness() {
        return db.jdbi().withHandle(h -> {
            List<CognitionDao.BenchmarkRow> latest = dao.latest(h);
            OptionalLong last = dao.lastEvaluatedHour(h);
            List<BenchmarkState> states = new ArrayList<>();
            List<String> steps = new ArrayList<>();
            Map<String, Double[]> domainScores = last.isPresent() ? dao.scores(h, last.getAsLong()) : Map.of();
            if (latest.isEmpty()) {
                for (BenchmarkSpec s : specs()) {
                    for (String metric : metricsOf(s, dao.catalog(h))) {
                        states.add(new BenchmarkState(s.name(), metric, s.threshold(), s.direction(), s.windowHours(),
                                s.minSamples(), null, null, 0, "insufficient", "not evaluated yet: the first hour is"
                                + " evaluated " + config.gracePeriod().toMinutes() + " min after it ends"));
                    }
                }
                steps.add("Let the runtime run: each hour is evaluated " + config.gracePeriod().toMinutes()
                        + " min after it ends, and a benchmark is judged once its window holds enough hours.");
                return new Readiness(null, states, false, steps);
            }
            boolean all = true;
            List<CognitionDao.BenchmarkRow> ordered = new ArrayList<>(latest);
            ordered.sort((a, b) -> Boolean.compare(!a.metric().startsWith("overall."), !b.metric().startsWith("overall.")));
            for (CognitionDao.BenchmarkRow r : ordered) {
                BenchmarkState s = state(r);
                states.add(s);
                all &= s.sustained();
            }
            // next steps: the furthest below its threshold first, then the closest to being sustained
            ordered.stream().filter(r -> r.state().equals("below"))
                    .sorted((a, b) -> Double.compare(gap(b), gap(a)))
                    .forEach(r -> steps.add(r.metric() + " " + missing(r) + weakest(r, domainScores)));
            ordered.stream().filter(r -> r.state().equals("met") || r.state().equals("insufficient"))
                    .forEach(r -> steps.add(r.metric() + ": " + missing(r)));
            if (all) {
                steps.add("Every benchmark is sustained: ready for elevation.");
            }
            return new Readiness(Instant.ofEpochMilli(last.getAsLong()), states, all, steps);
        });
    }

    private static double gap(CognitionDao.BenchmarkRow r) {
        return r.value() == null ? Double.MAX_VALUE : Math.abs(r.threshold() - r.value());
    }

    /** For an overall benchmark: the weakest domain on the same score. */
    private static String weakest(CognitionDao.BenchmarkRow r, Map<String, Double[]> domainScores) {
        if (!r.metric().startsWith("overall.")) {
            return "";
        }
        int i = switch (r.metric().substring("overall.".length())) {
            case "health" -> 0;
            case "trust" -> 1;
            default -> 2;
        };
        String weakest = null;
        double min = Double.MAX_VALUE;
        for (Map.Entry<String, Double[]> e : domainScores.entrySet()) {
            Double v = e.getValue()[i];
            if (!e.getKey().equals(CognitionDao.OVERALL) && v != null && v < min) {
                min = v;
                weakest = e.getKey();
            }
        }
        return weakest == null ? "" : "; weakest domain " + weakest + " " + fmt(min);
    }

    @Override
    public List<BenchmarkState> history(String metric, Instant since) {
        String m = metric;
        for (BenchmarkSpec s : specs) {
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
            return dao.history(h, wanted, since.toEpochMilli()).stream().map(CognitionEngine::state).toList();
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
            for (String metric : metricsOf(s, catalog)) {
                CognitionDao.BenchmarkRow r = latest.get(s.name() + "|" + metric);
                out.add(new RuntimeView.BenchmarkView(s.name(), metric, s.threshold(),
                        r == null || r.value() == null ? OptionalDouble.empty() : OptionalDouble.of(r.value()),
                        r != null && r.state().equals("sustained")));
            }
        }
        return out;
    }

    public void close() {
        if (webhook != null) {
            webhook.close();
        }
    }
}
