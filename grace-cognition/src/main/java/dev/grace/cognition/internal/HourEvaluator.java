package dev.grace.cognition.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.config.BenchmarkSpec;
import dev.grace.runtime.config.CognitionConfig;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.store.internal.CatalogDao;
import dev.grace.store.internal.StoreReader;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.grace.cognition.internal.CognitionEngine.HOUR;

/**
 * Evaluates one hour: scores it, judges each benchmark against its threshold and window, and derives
 * the events and alerts (threshold crossed or lost, elevation ready, a domain's dip, a guard flag
 * raised or cleared) and the domain metrics; then writes all of it. The {@link CognitionEngine}
 * decides which hours are due and holds the lease; this class only computes and writes, inside the
 * transaction the engine opened.
 */
final class HourEvaluator {

    private final CognitionDao dao;
    /** Reads the stored series a series benchmark judges. */
    private final StoreReader store;
    private final String node;
    private final CognitionConfig config;
    private final Map<String, Double> weights;
    private final Guard guard;
    private final GuardDao guardDao = new GuardDao();

    HourEvaluator(CognitionDao dao, StoreReader store, String node, CognitionConfig config,
                  Map<String, Double> weights) {
        this.dao = dao;
        this.store = store;
        this.node = node;
        this.config = config;
        this.weights = weights;
        this.guard = new Guard(config.guard());
    }

    /** One evaluated hour: what to write and what to send. */
    record Evaluation(long hour, Scorer.HourScores scores, List<CognitionDao.BenchmarkRow> rows,
                      List<BenchmarkState> states, List<CognitionDao.EventRow> events, List<Alert> alerts,
                      List<CognitionDao.DomainMetricsRow> domainMetrics, List<Guard.Found> flags,
                      GuardDao.Changes guardChanges) {
    }

    /** The metrics a benchmark judges: its one metric, or one per domain in the catalog. */
    static List<String> metricsOf(BenchmarkSpec s, List<CatalogDao.CatalogKpi> catalog) {
        if (!s.perDomain()) { // one score, or one series
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

    /**
     * A series benchmark's value in one hour: its statistic of the stored series whose attribute has
     * the value, merged across nodes ({@link StoreReader#rollupsBy}); null (a gap) when none was stored.
     */
    private Double seriesValue(Handle h, BenchmarkSpec.Series s, long hour) {
        String series = SeriesKey.of(Map.of(s.key(), s.value()));
        for (PeriodRollup r : store.rollupsBy(h, s.domain(), s.kpi(), s.key(), Period.HOUR, hour, hour + HOUR)) {
            if (r.series().equals(series) && r.count() > 0) {
                return statistic(r, s.statistic());
            }
        }
        return null;
    }

    /** One of {@link BenchmarkSpec#STATISTICS} of a rollup. */
    static double statistic(PeriodRollup r, String statistic) {
        return switch (statistic) {
            case "count" -> r.count();
            case "mean" -> r.mean();
            case "min" -> r.min();
            case "max" -> r.max();
            case "stddev" -> r.stddev();
            case "p50" -> r.p50();
            case "p95" -> r.p95();
            case "p99" -> r.p99();
            default -> throw new IllegalArgumentException("unknown statistic " + statistic);
        };
    }

    /**
     * Scores the hour and judges every benchmark against it; reads the store, writes nothing.
     *
     * @param specs the benchmarks in force, thresholds changed at runtime applied
     */
    Evaluation compute(Handle h, List<BenchmarkSpec> specs, long hour, long now) {
        List<CatalogDao.CatalogKpi> catalog = dao.catalog(h);
        List<Guard.Found> flags = guard.enabled()
                ? guard.check(catalog, guardDao.series(h, guard.windowStart(hour), hour)) : List.of();
        GuardDao.Changes guardChanges = guard.enabled() ? guardDao.compare(h, flags) : GuardDao.Changes.NONE;
        Set<String> flagged = new HashSet<>();
        flags.forEach(f -> flagged.add(f.domain() + "/" + f.kpi()));
        Scorer.HourScores scores = Scorer.score(catalog, dao.hour(h, hour), dao.rejections(h, hour), weights, flagged);
        Scores overall = scores.overall();
        List<CognitionDao.BenchmarkRow> rows = new ArrayList<>();
        List<BenchmarkState> states = new ArrayList<>();
        List<CognitionDao.EventRow> events = new ArrayList<>();
        boolean allSustained = true;
        boolean allSustainedBefore = true;
        int judged = 0;
        for (BenchmarkSpec s : specs) {
            for (String metric : metricsOf(s, catalog)) {
                Double v = s.isSeries() ? seriesValue(h, s.series(), hour) : value(metric, scores);
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
        // A flag is news to whoever watches the alerts: a figure the scores lean on may be invented.
        for (Guard.Found f : guardChanges.raised()) {
            String kpi = f.domain() + "." + f.kpi();
            events.add(event("guard_flag_raised", kpi, hour, null, null, overall, now,
                    kpi + " is flagged " + f.flag() + ": " + GuardDao.detail(f)));
        }
        for (KpiFlag f : guardChanges.cleared()) {
            String kpi = f.domain() + "." + f.kpi();
            events.add(event("guard_flag_cleared", kpi, hour, null, null, overall, now,
                    kpi + " is no longer flagged " + f.flag() + " (raised in the hour of " + f.since() + ")"));
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
        return new Evaluation(hour, scores, rows, states, events, alerts, domainMetrics, flags, guardChanges);
    }

    /** Whether an event's subject is the domain or one of its metrics. */
    static boolean concerns(String subject, String domain) {
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

    /**
     * Writes an evaluated hour's scores, benchmark rows, events, domain metrics and the guard's flags,
     * in the caller's transaction.
     *
     * @return the flags raised and cleared, for the audit log once the transaction has committed
     */
    GuardDao.Changes write(Handle h, Evaluation e) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (Scorer.DomainScore d : e.scores().domains().values()) {
            scores.put(d.domain(), array(d.scores()));
        }
        scores.put(CognitionDao.OVERALL, array(e.scores().overall()));
        dao.insertScores(h, e.hour(), scores);
        dao.insertBenchmarks(h, e.rows());
        dao.insertEvents(h, e.events());
        dao.upsertDomainMetrics(h, e.domainMetrics());
        if (guard.enabled()) {
            guardDao.apply(h, e.hour(), e.flags(), e.guardChanges());
        }
        return e.guardChanges();
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
}
