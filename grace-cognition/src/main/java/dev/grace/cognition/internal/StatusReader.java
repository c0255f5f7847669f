package dev.grace.cognition.internal;

import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.config.BenchmarkSpec;
import dev.grace.runtime.config.CognitionConfig;
import dev.grace.store.internal.CatalogDao;
import dev.grace.store.internal.Database;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static dev.grace.cognition.internal.CognitionEngine.HOUR;

/**
 * Computes what cognition reports: an hour's {@link Status} and the {@link Readiness} for elevation.
 * Uncached; the {@link CognitionEngine} caches the results per data version.
 */
final class StatusReader {

    private final Database db;
    private final CognitionDao dao;
    private final Clock clock;
    private final CognitionConfig config;
    private final Map<String, Double> weights;
    private final Thresholds thresholds;
    private final GuardDao guardDao = new GuardDao();

    StatusReader(Database db, CognitionDao dao, Clock clock, CognitionConfig config, Map<String, Double> weights,
                 Thresholds thresholds) {
        this.db = db;
        this.dao = dao;
        this.clock = clock;
        this.config = config;
        this.weights = weights;
        this.thresholds = thresholds;
    }

    /** The status of the hour containing {@code at}: stored scores where evaluated, live ones otherwise. */
    Status status(Instant at) {
        long hour = Math.floorDiv(at.toEpochMilli(), HOUR) * HOUR;
        long current = Math.floorDiv(clock.millis(), HOUR) * HOUR;
        return db.jdbi().withHandle(h -> {
            List<CatalogDao.CatalogKpi> catalog = dao.catalog(h);
            List<KpiFlag> flags = flags(h);
            Set<String> flagged = new HashSet<>();
            flags.forEach(f -> flagged.add(f.domain() + "/" + f.kpi()));
            Scorer.HourScores live = Scorer.score(catalog, dao.hour(h, hour), dao.rejections(h, hour), weights,
                    flagged);
            Map<String, Double[]> stored = dao.evaluated(h, hour) ? dao.scores(h, hour) : Map.of();
            // two statements for every domain's trend and alert count, not two per domain
            Map<String, Double> means = dao.meanHealths(h, hour - 24 * HOUR, hour);
            Map<String, Integer> events = dao.eventCounts(h, hour - 23 * HOUR, hour + HOUR);
            List<DomainStatus> domains = new ArrayList<>();
            for (Scorer.DomainScore d : live.domains().values()) {
                Scores s = stored.containsKey(d.domain()) ? scores(stored.get(d.domain())) : d.scores();
                Double mean = means.get(d.domain());
                Double trend = s.health() == null || mean == null ? null : s.health() - mean;
                int alerts = events.entrySet().stream().filter(e -> HourEvaluator.concerns(e.getKey(), d.domain()))
                        .mapToInt(Map.Entry::getValue).sum();
                domains.add(new DomainStatus(d.domain(), s, d.kpis(), trend, alerts,
                        flags.stream().filter(f -> f.domain().equals(d.domain())).toList()));
            }
            Scores overall = stored.containsKey(CognitionDao.OVERALL) ? scores(stored.get(CognitionDao.OVERALL))
                    : live.overall();
            return new Status(Instant.ofEpochMilli(hour), hour >= current, overall, domains);
        });
    }

    /** The guard's active flags; none when the guard is off. */
    private List<KpiFlag> flags(Handle h) {
        return config.guard().enabled() ? guardDao.active(h) : List.of();
    }

    private static Scores scores(Double[] s) {
        return new Scores(s[0], s[1], s[2]);
    }

    /** How far every benchmark is from being sustained, and the next steps, from the latest evaluated hour. */
    Readiness readiness() {
        return db.jdbi().withHandle(h -> {
            List<CognitionDao.BenchmarkRow> latest = dao.latest(h);
            OptionalLong last = dao.lastEvaluatedHour(h);
            List<BenchmarkState> states = new ArrayList<>();
            List<String> steps = new ArrayList<>();
            Map<String, Double[]> domainScores = last.isPresent() ? dao.scores(h, last.getAsLong()) : Map.of();
            if (latest.isEmpty()) {
                for (BenchmarkSpec s : thresholds.specs()) {
                    for (String metric : HourEvaluator.metricsOf(s, dao.catalog(h))) {
                        states.add(new BenchmarkState(s.name(), metric, s.threshold(), s.direction(), s.windowHours(),
                                s.minSamples(), null, null, 0, "insufficient", "not evaluated yet: the first hour is"
                                + " evaluated " + config.gracePeriod().toMinutes() + " min after it ends"));
                    }
                }
                steps.add("Let the runtime run: each hour is evaluated " + config.gracePeriod().toMinutes()
                        + " min after it ends, and a benchmark is judged once its window holds enough hours.");
                return new Readiness(null, states, false, steps, flags(h));
            }
            boolean all = true;
            List<CognitionDao.BenchmarkRow> ordered = new ArrayList<>(latest);
            ordered.sort((a, b) -> Boolean.compare(!a.metric().startsWith("overall."), !b.metric().startsWith("overall.")));
            for (CognitionDao.BenchmarkRow r : ordered) {
                BenchmarkState s = HourEvaluator.state(r);
                states.add(s);
                all &= s.sustained();
            }
            // next steps: the furthest below its threshold first, then the closest to being sustained
            ordered.stream().filter(r -> r.state().equals("below"))
                    .sorted((a, b) -> Double.compare(gap(b), gap(a)))
                    .forEach(r -> steps.add(r.metric() + " " + HourEvaluator.missing(r) + weakest(r, domainScores)));
            ordered.stream().filter(r -> r.state().equals("met") || r.state().equals("insufficient"))
                    .forEach(r -> steps.add(r.metric() + ": " + HourEvaluator.missing(r)));
            List<KpiFlag> flags = flags(h);
            for (KpiFlag f : flags) {
                steps.add(f.domain() + "." + f.kpi() + " is flagged " + f.flag() + " (" + f.detail()
                        + "): check what it measures; its evidence counts as uncertain in " + f.domain()
                        + ".confidence");
            }
            if (all) {
                steps.add("Every benchmark is sustained: ready for elevation.");
            }
            return new Readiness(Instant.ofEpochMilli(last.getAsLong()), states, all, steps, flags);
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
        return weakest == null ? "" : "; weakest domain " + weakest + " " + HourEvaluator.fmt(min);
    }
}
