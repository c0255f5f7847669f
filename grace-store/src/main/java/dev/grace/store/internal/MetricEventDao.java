package dev.grace.store.internal;

import dev.grace.api.MetricPublisher;
import dev.grace.runtime.internal.publish.RawEventColumns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

/** {@code metric_events}: raw events as published, written in batches, purged by age. */
final class MetricEventDao {

    /** Positional parameters: on the raw-event path, binding by name costs a map per row. */
    private static final String INSERT = "INSERT INTO metric_events (node, domain, kpi, series, event_value, event_time,"
            + " metadata) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final int COLUMNS = 7;
    /** Rows per {@code INSERT} on the raw-event path; 224 parameters, far inside H2's limits. */
    private static final int ROWS_PER_STATEMENT = 32;
    private static final String INSERT_MANY = INSERT + ", (?, ?, ?, ?, ?, ?, ?)".repeat(ROWS_PER_STATEMENT - 1);
    private static final long HOUR_MILLIS = 3_600_000L;
    /**
     * The longest metadata JSON the publisher's limits allow: every key and value at its longest,
     * every character one JSON escapes as {@code &#92;u0000} (six characters), quotes, colons, commas
     * and braces. The {@code metadata} column (V3) is at least this wide.
     */
    static final int MAX_METADATA_JSON = 2 + (MetricPublisher.MAX_METADATA_KEYS - 1)
            + MetricPublisher.MAX_METADATA_KEYS * (6 * MetricPublisher.MAX_METADATA_KEY_LENGTH
            + 6 * MetricPublisher.MAX_METADATA_VALUE_LENGTH + 5);

    /**
     * Counts and sums of one node's raw events of one series in one hour, as {@code grace verify}
     * recomputes them; series {@code ""} is the KPI's total (every raw event of the KPI, whatever its series).
     */
    record HourFigures(String node, String domain, String kpi, String series, long hourStart, long count, double sum,
                       double min, double max, double sumOfSquares) {

        HourFigures plus(HourFigures o) {
            return new HourFigures(node, domain, kpi, series, hourStart, count + o.count, sum + o.sum,
                    Math.min(min, o.min), Math.max(max, o.max), sumOfSquares + o.sumOfSquares);
        }
    }

    /**
     * Rows {@code from .. to} of the batch, as one JDBC batch of {@link #ROWS_PER_STATEMENT}-row
     * {@code INSERT}s and one of single-row ones for the rest. Beside busy loops, H2 took 6-27% more
     * rows a second this way than one row per statement (six alternated pairs, docs/benchmarks.md),
     * and no fewer on a quiet machine. Plain JDBC on the handle's connection: on the raw-event path
     * Jdbi's per-argument binding was measured at about 6% of the writer thread's time
     * (grace-benchmarks' EndToEndBenchmark, JFR). The node is bound once per statement: a batched
     * statement keeps a parameter until it is set again. A row the database refuses fails its
     * statement's batch, and the writer halves the part until the row stands alone.
     */
    void insert(Handle h, String node, RawEventColumns events, int from, int to) {
        MetadataJson json = new MetadataJson(); // per part, not per row: a writer shares no instance across threads
        int whole = from + (to - from) / ROWS_PER_STATEMENT * ROWS_PER_STATEMENT;
        try {
            if (whole > from) {
                try (PreparedStatement ps = h.getConnection().prepareStatement(INSERT_MANY)) {
                    for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
                        ps.setString(r * COLUMNS + 1, node);
                    }
                    for (int i = from; i < whole; i += ROWS_PER_STATEMENT) {
                        for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
                            bind(ps, r * COLUMNS, events, i + r, json);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (whole < to) {
                try (PreparedStatement ps = h.getConnection().prepareStatement(INSERT)) {
                    ps.setString(1, node);
                    for (int i = whole; i < to; i++) {
                        bind(ps, 0, events, i, json);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        } catch (SQLException ex) {
            // The writer tells a refusal of the rows themselves (Database.refusesData) from a failure
            // of the database, which it retries.
            throw new IllegalStateException("inserting " + (to - from) + " raw events failed", ex);
        }
    }

    /** Binds row {@code i} of the batch to the statement's parameters after {@code base}, all but the node's. */
    private static void bind(PreparedStatement ps, int base, RawEventColumns events, int i, MetadataJson json)
            throws SQLException {
        ps.setString(base + 2, events.domain(i));
        ps.setString(base + 3, events.kpi(i));
        ps.setString(base + 4, events.series(i));
        ps.setDouble(base + 5, events.value(i));
        ps.setLong(base + 6, events.epochMillis(i));
        CharSequence meta = json.of(events.metadata(i));
        if (meta == null) {
            ps.setNull(base + 7, Types.VARCHAR);
        } else {
            ps.setString(base + 7, meta.toString());
        }
    }

    long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM metric_events").mapTo(Long.class).one();
    }

    /**
     * Per node, KPI and hour, the figures of raw events at or after {@code from}: the KPI's total
     * (series {@code ""}) and each series other than the total's own values.
     */
    List<HourFigures> hourFigures(Handle h, long from) {
        return withTotals(h.createQuery(FIGURES + " WHERE event_time >= :from) e GROUP BY " + GROUPS)
                .bind("hour", HOUR_MILLIS).bind("from", from)
                .map((rs, ctx) -> figures(rs)).list());
    }

    /** This node's figures per KPI (its total and each series) and hour, of raw events at or after {@code from}. */
    List<HourFigures> ownHourFigures(Handle h, String node, long from) {
        return withTotals(h.createQuery(FIGURES + " WHERE node = :node AND event_time >= :from) e GROUP BY " + GROUPS)
                .bind("hour", HOUR_MILLIS).bind("node", node).bind("from", from)
                .map((rs, ctx) -> figures(rs)).list());
    }

    private static final String FIGURES = "SELECT node, domain, kpi, series, hour_start, COUNT(*) AS n, SUM(v) AS s,"
            + " MIN(v) AS lo, MAX(v) AS hi, SUM(v * v) AS sq FROM (SELECT node, domain, kpi, series, event_value AS v,"
            + " event_time - MOD(event_time, :hour) AS hour_start FROM metric_events";
    private static final String GROUPS = "node, domain, kpi, series, hour_start";

    private static HourFigures figures(ResultSet rs) throws SQLException {
        return new HourFigures(rs.getString("node"), rs.getString("domain"), rs.getString("kpi"), rs.getString("series"),
                rs.getLong("hour_start"), rs.getLong("n"), rs.getDouble("s"), rs.getDouble("lo"), rs.getDouble("hi"),
                rs.getDouble("sq"));
    }

    /**
     * Figures per series as grouped, turned into each KPI's total (every series merged, as the runtime
     * merges a total) followed by the series: the group of series {@code ""} (values recorded without
     * attributes, and every row stored before raw events had a series) is in the total and is no series.
     */
    private static List<HourFigures> withTotals(List<HourFigures> grouped) {
        Map<String, HourFigures> totals = new LinkedHashMap<>();
        List<HourFigures> series = new ArrayList<>();
        for (HourFigures f : grouped) {
            HourFigures asTotal = f.series().isEmpty() ? f : new HourFigures(f.node(), f.domain(), f.kpi(), "",
                    f.hourStart(), f.count(), f.sum(), f.min(), f.max(), f.sumOfSquares());
            totals.merge(f.node() + '|' + f.domain() + '/' + f.kpi() + '|' + f.hourStart(), asTotal, HourFigures::plus);
            if (!f.series().isEmpty()) {
                series.add(f);
            }
        }
        List<HourFigures> out = new ArrayList<>(totals.values());
        out.addAll(series);
        return out;
    }

    /**
     * Feeds every value of this node's raw events of one KPI with times in [from, to) to {@code each}:
     * of one series, or of every series (the KPI's total) when {@code series} is null.
     */
    void eachValue(Handle h, String node, String domain, String kpi, String series, long from, long to,
                   DoubleConsumer each) {
        Query q = h.createQuery("SELECT event_value FROM metric_events WHERE node = :node AND domain = :domain"
                        + " AND kpi = :kpi AND event_time >= :from AND event_time < :to"
                        + (series == null ? "" : " AND series = :series"))
                .bind("node", node).bind("domain", domain).bind("kpi", kpi).bind("from", from).bind("to", to);
        if (series != null) {
            q.bind("series", series);
        }
        q.setFetchSize(10_000)
                .map((rs, ctx) -> rs.getDouble(1))
                .useIterator(it -> it.forEachRemaining(each::accept));
    }

    /** Deletes up to {@code limit} events older than {@code before}; returns how many. */
    int purgeBatch(Handle h, long before, int limit) {
        return h.createUpdate("DELETE FROM metric_events WHERE id IN (SELECT id FROM metric_events"
                        + " WHERE event_time < :before ORDER BY id LIMIT :limit)")
                .bind("before", before).bind("limit", limit).execute();
    }
}
