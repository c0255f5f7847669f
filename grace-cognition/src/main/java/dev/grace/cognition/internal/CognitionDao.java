package dev.grace.cognition.internal;

import dev.grace.store.internal.CatalogDao;
import dev.grace.store.internal.Vendor;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Every statement cognition runs, for H2 and PostgreSQL alike (the few that differ are chosen by vendor). */
public final class CognitionDao {

    /** The pseudo-domain under which the overall scores are stored. */
    public static final String OVERALL = "_overall";

    /** One KPI's hour, merged across nodes. */
    public record Figures(long count, double sum, double sumOfSquares, double min, double max) {
        public double mean() {
            return sum / count;
        }
    }

    /** A benchmark_history row. */
    public record BenchmarkRow(String benchmark, String metric, long hour, Double value, double threshold,
                               String direction, int windowHours, int minSamples, int samples, int runLength,
                               String state, long evaluatedAt) {
    }

    /** A saas_readiness_events row. */
    public record EventRow(String type, String subject, long hour, Double value, Double threshold, Double health,
                           Double trust, Double confidence, String message, long occurredAt, String node) {
    }

    /** A domain_metrics row. */
    public record DomainMetricsRow(String domain, long hour, Double health, Double trust, Double confidence,
                                   String kpisJson, Double trend, int alertCount, long computedAt) {
    }

    private final Vendor vendor;

    public CognitionDao(Vendor vendor) {
        this.vendor = vendor;
    }

    /** What the running plugins declared, as the store wrote it. */
    public List<CatalogDao.CatalogKpi> catalog(Handle h) {
        return new CatalogDao(vendor).catalog(h);
    }

    // --- inputs of an hour ---------------------------------------------------------------------

    /** Every KPI's total figures (not its series') in one hour, merged across nodes: domain to KPI to figures. */
    public Map<String, Map<String, Figures>> hour(Handle h, long hour) {
        Map<String, Map<String, Figures>> out = new LinkedHashMap<>();
        h.createQuery("SELECT domain, kpi, SUM(count), SUM(sum), SUM(sum_of_squares), MIN(min), MAX(max)"
                        + " FROM metrics_rollups WHERE period = 'hour' AND series = '' AND period_start = :hour"
                        + " GROUP BY domain, kpi")
                .bind("hour", hour)
                .map((rs, ctx) -> {
                    out.computeIfAbsent(rs.getString(1), d -> new HashMap<>()).put(rs.getString(2),
                            new Figures(rs.getLong(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6),
                                    rs.getDouble(7)));
                    return null;
                }).list();
        return out;
    }

    /** Values rejected in one hour, per domain, over all nodes. */
    public Map<String, Long> rejections(Handle h, long hour) {
        Map<String, Long> out = new HashMap<>();
        h.createQuery("SELECT domain, SUM(rejected) FROM publish_rejections WHERE period_start = :hour GROUP BY domain")
                .bind("hour", hour)
                .map((rs, ctx) -> out.put(rs.getString(1), rs.getLong(2))).list();
        return out;
    }

    public OptionalLong earliestRollupHour(Handle h, long from) {
        return optionalLong(h.createQuery("SELECT MIN(period_start) FROM metrics_rollups WHERE period = 'hour'"
                + " AND series = '' AND period_start >= :from").bind("from", from).mapTo(Long.class).findOne());
    }

    public OptionalLong lastEvaluatedHour(Handle h) {
        return optionalLong(h.createQuery("SELECT MAX(period_start) FROM cognition_hours").mapTo(Long.class).findOne());
    }

    public boolean evaluated(Handle h, long hour) {
        return h.createQuery("SELECT COUNT(*) FROM cognition_hours WHERE period_start = :hour").bind("hour", hour)
                .mapTo(Integer.class).one() > 0;
    }

    /**
     * Claims an hour for evaluation inside the caller's transaction.
     *
     * @return false when it was already evaluated
     */
    public boolean claimHour(Handle h, long hour, String node, long now) {
        String sql = vendor == Vendor.H2
                ? "INSERT INTO cognition_hours (period_start, node, evaluated_at) SELECT :hour, :node, :now"
                        + " WHERE NOT EXISTS (SELECT 1 FROM cognition_hours WHERE period_start = :hour)"
                : "INSERT INTO cognition_hours (period_start, node, evaluated_at) VALUES (:hour, :node, :now)"
                        + " ON CONFLICT (period_start) DO NOTHING";
        return h.createUpdate(sql).bind("hour", hour).bind("node", node).bind("now", now).execute() == 1;
    }

    // --- benchmark history -----------------------------------------------------------------------

    public Optional<BenchmarkRow> benchmarkAt(Handle h, String benchmark, String metric, long hour) {
        return h.createQuery(SELECT_BENCHMARK + " WHERE benchmark = :b AND metric = :m AND period_start = :hour")
                .bind("b", benchmark).bind("m", metric).bind("hour", hour)
                .map((rs, ctx) -> benchmarkRow(rs)).findOne();
    }

    /** Hours with a value in [from, to). */
    public int samples(Handle h, String benchmark, String metric, long from, long to) {
        return h.createQuery("SELECT COUNT(*) FROM benchmark_history WHERE benchmark = :b AND metric = :m"
                        + " AND period_start >= :from AND period_start < :to AND metric_value IS NOT NULL")
                .bind("b", benchmark).bind("m", metric).bind("from", from).bind("to", to)
                .mapTo(Integer.class).one();
    }

    public void insertBenchmarks(Handle h, List<BenchmarkRow> rows) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO benchmark_history (benchmark, metric, period_start,"
                + " metric_value, threshold, direction, window_hours, min_samples, samples, run_length, state,"
                + " evaluated_at) VALUES (:b, :m, :hour, :v, :t, :dir, :w, :min, :s, :run, :state, :at)");
        for (BenchmarkRow r : rows) {
            batch.bind("b", r.benchmark()).bind("m", r.metric()).bind("hour", r.hour())
                    .bindByType("v", r.value(), Double.class).bind("t", r.threshold()).bind("dir", r.direction())
                    .bind("w", r.windowHours()).bind("min", r.minSamples()).bind("s", r.samples())
                    .bind("run", r.runLength()).bind("state", r.state()).bind("at", r.evaluatedAt()).add();
        }
        if (!rows.isEmpty()) {
            batch.execute();
        }
    }

    /** One metric's rows since {@code from}, oldest first. */
    public List<BenchmarkRow> history(Handle h, String metric, long from) {
        return h.createQuery(SELECT_BENCHMARK + " WHERE metric = :m AND period_start >= :from ORDER BY period_start, benchmark")
                .bind("m", metric).bind("from", from).map((rs, ctx) -> benchmarkRow(rs)).list();
    }

    /** Every row of the latest evaluated hour. */
    public List<BenchmarkRow> latest(Handle h) {
        return h.createQuery(SELECT_BENCHMARK + " WHERE period_start = (SELECT MAX(period_start) FROM cognition_hours)"
                        + " ORDER BY benchmark, metric")
                .map((rs, ctx) -> benchmarkRow(rs)).list();
    }

    /** Metrics with history. */
    public List<String> metrics(Handle h) {
        return h.createQuery("SELECT DISTINCT metric FROM benchmark_history ORDER BY metric").mapTo(String.class).list();
    }

    private static final String SELECT_BENCHMARK = "SELECT benchmark, metric, period_start, metric_value, threshold,"
            + " direction, window_hours, min_samples, samples, run_length, state, evaluated_at FROM benchmark_history";

    private static BenchmarkRow benchmarkRow(ResultSet rs) throws SQLException {
        return new BenchmarkRow(rs.getString(1), rs.getString(2), rs.getLong(3), nullableDouble(rs, 4),
                rs.getDouble(5), rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
                rs.getString(11), rs.getLong(12));
    }

    // --- scores ---------------------------------------------------------------------------------

    public void insertScores(Handle h, long hour, Map<String, double[]> scores) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO domain_scores (domain, period_start, health, trust, confidence)"
                + " VALUES (:d, :hour, :h, :t, :c)");
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            double[] s = e.getValue();
            batch.bind("d", e.getKey()).bind("hour", hour)
                    .bindByType("h", s == null ? null : s[0], Double.class)
                    .bindByType("t", s == null ? null : s[1], Double.class)
                    .bindByType("c", s == null ? null : s[2], Double.class).add();
        }
        if (!scores.isEmpty()) {
            batch.execute();
        }
    }

    /** The latest health a domain had before {@code hour}, skipping gaps. */
    public Optional<Double> lastKnownHealth(Handle h, String domain, long hour) {
        return h.createQuery("SELECT health FROM domain_scores WHERE domain = :d AND period_start < :hour"
                        + " AND health IS NOT NULL ORDER BY period_start DESC")
                .bind("d", domain).bind("hour", hour).setMaxRows(1).mapTo(Double.class).findFirst();
    }

    /** A domain's mean health over [from, to), gaps left out. */
    public Optional<Double> meanHealth(Handle h, String domain, long from, long to) {
        return h.createQuery("SELECT AVG(health) FROM domain_scores WHERE domain = :d AND period_start >= :from"
                        + " AND period_start < :to AND health IS NOT NULL")
                .bind("d", domain).bind("from", from).bind("to", to).mapTo(Double.class).findOne();
    }

    /** Every domain's mean health over [from, to), gaps left out; domains without any absent. */
    public Map<String, Double> meanHealths(Handle h, long from, long to) {
        Map<String, Double> out = new HashMap<>();
        h.createQuery("SELECT domain, AVG(health) FROM domain_scores WHERE period_start >= :from AND period_start < :to"
                        + " AND health IS NOT NULL GROUP BY domain")
                .bind("from", from).bind("to", to)
                .map((rs, ctx) -> out.put(rs.getString(1), rs.getDouble(2))).list();
        return out;
    }

    /** Events per subject for hours in [from, to). */
    public Map<String, Integer> eventCounts(Handle h, long from, long to) {
        Map<String, Integer> out = new HashMap<>();
        h.createQuery("SELECT subject, COUNT(*) FROM saas_readiness_events WHERE period_start >= :from"
                        + " AND period_start < :to GROUP BY subject")
                .bind("from", from).bind("to", to)
                .map((rs, ctx) -> out.put(rs.getString(1), rs.getInt(2))).list();
        return out;
    }

    /** Scores of one hour: domain to {health, trust, confidence}, null members in a gap. */
    public Map<String, Double[]> scores(Handle h, long hour) {
        Map<String, Double[]> out = new LinkedHashMap<>();
        h.createQuery("SELECT domain, health, trust, confidence FROM domain_scores WHERE period_start = :hour ORDER BY domain")
                .bind("hour", hour)
                .map((rs, ctx) -> out.put(rs.getString(1),
                        new Double[] {nullableDouble(rs, 2), nullableDouble(rs, 3), nullableDouble(rs, 4)}))
                .list();
        return out;
    }

    public void upsertDomainMetrics(Handle h, List<DomainMetricsRow> rows) {
        for (DomainMetricsRow r : rows) {
            h.createUpdate("DELETE FROM domain_metrics WHERE domain = :d").bind("d", r.domain()).execute();
            h.createUpdate("INSERT INTO domain_metrics (domain, period_start, health, trust, confidence, kpis, trend,"
                            + " alert_count, computed_at) VALUES (:d, :hour, :h, :t, :c, :kpis, :trend, :alerts, :at)")
                    .bind("d", r.domain()).bind("hour", r.hour())
                    .bindByType("h", r.health(), Double.class).bindByType("t", r.trust(), Double.class)
                    .bindByType("c", r.confidence(), Double.class).bind("kpis", r.kpisJson())
                    .bindByType("trend", r.trend(), Double.class).bind("alerts", r.alertCount())
                    .bind("at", r.computedAt()).execute();
        }
    }

    // --- events ---------------------------------------------------------------------------------

    public void insertEvents(Handle h, List<EventRow> events) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO saas_readiness_events (event_type, subject, period_start,"
                + " event_value, threshold, overall_health, overall_trust, overall_confidence, message, occurred_at, node)"
                + " VALUES (:type, :subject, :hour, :v, :t, :h, :tr, :c, :msg, :at, :node)");
        for (EventRow e : events) {
            batch.bind("type", e.type()).bind("subject", e.subject()).bind("hour", e.hour())
                    .bindByType("v", e.value(), Double.class).bindByType("t", e.threshold(), Double.class)
                    .bindByType("h", e.health(), Double.class).bindByType("tr", e.trust(), Double.class)
                    .bindByType("c", e.confidence(), Double.class).bind("msg", e.message())
                    .bind("at", e.occurredAt()).bind("node", e.node()).add();
        }
        if (!events.isEmpty()) {
            batch.execute();
        }
    }

    /** The newest events first. */
    public List<EventRow> events(Handle h, int limit) {
        return h.createQuery("SELECT event_type, subject, period_start, event_value, threshold, overall_health,"
                        + " overall_trust, overall_confidence, message, occurred_at, node FROM saas_readiness_events"
                        + " ORDER BY occurred_at DESC, id DESC")
                .setMaxRows(limit)
                .map((rs, ctx) -> new EventRow(rs.getString(1), rs.getString(2), rs.getLong(3), nullableDouble(rs, 4),
                        nullableDouble(rs, 5), nullableDouble(rs, 6), nullableDouble(rs, 7), nullableDouble(rs, 8),
                        rs.getString(9), rs.getLong(10), rs.getString(11)))
                .list();
    }

    /** Events about a domain (its dips and its benchmarks) for hours in [from, to). */
    public int eventCount(Handle h, String domain, long from, long to) {
        return h.createQuery("SELECT COUNT(*) FROM saas_readiness_events WHERE (subject = :d OR subject LIKE :prefix)"
                        + " AND period_start >= :from AND period_start < :to")
                .bind("d", domain).bind("prefix", domain + ".%").bind("from", from).bind("to", to)
                .mapTo(Integer.class).one();
    }

    // --- lease ----------------------------------------------------------------------------------

    /**
     * Takes or renews the evaluation lease for {@code seconds}, judged by the database's clock.
     *
     * @return whether {@code holder} holds it now
     */
    public boolean tryLease(Handle h, String holder, long seconds) {
        return h.createUpdate("UPDATE cognition_lease SET holder = :holder,"
                        + " expires_at = CURRENT_TIMESTAMP + CAST(:secs AS INTEGER) * INTERVAL '1' SECOND"
                        + " WHERE name = 'evaluator' AND (holder IS NULL OR holder = :holder OR expires_at < CURRENT_TIMESTAMP)")
                .bind("holder", holder).bind("secs", seconds).execute() == 1;
    }

    public void releaseLease(Handle h, String holder) {
        h.createUpdate("UPDATE cognition_lease SET holder = NULL, expires_at = NULL WHERE name = 'evaluator' AND holder = :holder")
                .bind("holder", holder).execute();
    }

    // --- helpers --------------------------------------------------------------------------------

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? null : d;
    }

    private static OptionalLong optionalLong(Optional<Long> value) {
        return value.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
