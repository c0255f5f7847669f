package dev.grace.store.internal;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.store.Period;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * {@code metrics_rollups}: one row per (node, domain, KPI, series, period, period start). An upsert writes
 * a period's whole state, so writing it twice is harmless. Rows are handled as {@link HourlyRollup}s
 * whose "hour" is the period's start; a series {@code ""} is the KPI's total.
 */
final class RollupDao {

    private static final String COLUMNS = "node, domain, kpi, period, period_start, count, sum, min, max,"
            + " sum_of_squares, sketch, updated_at";
    private static final String VALUES = "(:node, :domain, :kpi, :period, :start, :count, :sum, :min, :max,"
            + " :sumOfSquares, :sketch, :updatedAt)";
    private static final String MERGE_H2 = "MERGE INTO metrics_rollups (" + COLUMNS + ")"
            + " KEY (node, domain, kpi, period, period_start) VALUES " + VALUES;
    private static final String UPSERT_POSTGRESQL = "INSERT INTO metrics_rollups (" + COLUMNS + ") VALUES " + VALUES
            + " ON CONFLICT (node, domain, kpi, period, period_start) DO UPDATE SET count = EXCLUDED.count,"
            + " sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max,"
            + " sum_of_squares = EXCLUDED.sum_of_squares, sketch = EXCLUDED.sketch, updated_at = EXCLUDED.updated_at";
    private static final String SELECT = "SELECT node, domain, kpi, period_start, count, sum, min, max, sum_of_squares,"
            + " sketch FROM metrics_rollups";
    // With metrics_rollups.series (V6): one row per series, '' the KPI's total.
    private static final String SERIES_COLUMNS = "node, domain, kpi, series, period, period_start, count, sum, min,"
            + " max, sum_of_squares, sketch, updated_at";
    private static final String SERIES_VALUES = "(:node, :domain, :kpi, :series, :period, :start, :count, :sum, :min,"
            + " :max, :sumOfSquares, :sketch, :updatedAt)";
    private static final String SERIES_MERGE_H2 = "MERGE INTO metrics_rollups (" + SERIES_COLUMNS + ")"
            + " KEY (node, domain, kpi, series, period, period_start) VALUES " + SERIES_VALUES;
    private static final String SERIES_UPSERT_POSTGRESQL = "INSERT INTO metrics_rollups (" + SERIES_COLUMNS + ")"
            + " VALUES " + SERIES_VALUES + " ON CONFLICT (node, domain, kpi, series, period, period_start) DO UPDATE"
            + " SET count = EXCLUDED.count, sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max,"
            + " sum_of_squares = EXCLUDED.sum_of_squares, sketch = EXCLUDED.sketch, updated_at = EXCLUDED.updated_at";
    private static final String SERIES_SELECT = "SELECT node, domain, kpi, series, period_start, count, sum, min, max,"
            + " sum_of_squares, sketch FROM metrics_rollups";

    /** A stored row: the node that wrote it and its state. */
    record Row(String node, HourlyRollup rollup) {
    }

    private final Vendor vendor;
    /**
     * Whether {@code metrics_rollups} has its {@code series} column (V6, from the branch of issue 19 that
     * writes series rollups): looked up at the first use. Without it, series rows are not written (there
     * is no column to keep them apart from the total) and every row read is a total. A bridge until V6
     * is merged; from then on the column is always there.
     */
    private volatile Boolean series;

    RollupDao(Vendor vendor) {
        this.vendor = vendor;
    }

    /** Whether the schema keeps series rows beside the KPIs' totals. */
    boolean storesSeries(Handle h) {
        Boolean known = series;
        if (known == null) {
            boolean found = false;
            try (ResultSet rs = h.getConnection().getMetaData().getColumns(h.getConnection().getCatalog(),
                    h.getConnection().getSchema(), null, null)) {
                while (rs.next() && !found) {
                    found = "metrics_rollups".equalsIgnoreCase(rs.getString("TABLE_NAME"))
                            && "series".equalsIgnoreCase(rs.getString("COLUMN_NAME"));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading the columns of metrics_rollups failed", e);
            }
            known = found;
            series = known;
        }
        return known;
    }

    private String select(Handle h) {
        return storesSeries(h) ? SERIES_SELECT : SELECT;
    }

    /** The condition that keeps the KPIs' totals only. */
    private String totalsOnly(Handle h) {
        return storesSeries(h) ? " AND series = ''" : "";
    }

    /** Writes each rollup's whole state as this node's row for the period. */
    void upsert(Handle h, String node, Period period, List<HourlyRollup> rollups, long updatedAt) {
        boolean withSeries = storesSeries(h);
        PreparedBatch batch = h.prepareBatch(withSeries
                ? (vendor == Vendor.H2 ? SERIES_MERGE_H2 : SERIES_UPSERT_POSTGRESQL)
                : (vendor == Vendor.H2 ? MERGE_H2 : UPSERT_POSTGRESQL));
        int rows = 0;
        for (HourlyRollup r : rollups) {
            if (withSeries) {
                batch.bind("series", r.series());
            } else if (!r.isTotal()) {
                continue;
            }
            rows++;
            batch.bind("node", node).bind("domain", r.domain()).bind("kpi", r.kpi()).bind("period", period.key())
                    .bind("start", r.hourStart().toEpochMilli()).bind("count", r.count()).bind("sum", r.sum())
                    .bind("min", r.min()).bind("max", r.max()).bind("sumOfSquares", r.sumOfSquares())
                    .bind("sketch", r.sketchEncoded()).bind("updatedAt", updatedAt).add();
        }
        if (rows > 0) {
            batch.execute();
        }
    }

    /**
     * Writes hours' whole state as this node's rows, then their days and weeks merged from this node's
     * stored hours and days (per series); the caller's transaction holds all of it.
     */
    void upsertHours(Handle h, String node, List<HourlyRollup> hours, long now) {
        upsert(h, node, Period.HOUR, hours, now);
        for (Period period : List.of(Period.DAY, Period.WEEK)) {
            Period from = period == Period.DAY ? Period.HOUR : Period.DAY;
            Set<String> done = new LinkedHashSet<>();
            List<HourlyRollup> merged = new ArrayList<>();
            for (HourlyRollup r : hours) {
                long start = period.start(r.hourStart().toEpochMilli());
                if (done.add(r.domain() + '/' + r.kpi() + '/' + r.series() + '/' + start)) {
                    ownMerged(h, node, r.domain(), r.kpi(), r.series(), from, start, period.end(start))
                            .ifPresent(merged::add);
                }
            }
            upsert(h, node, period, merged, now);
        }
    }

    /** This node's hourly rows (totals and series) starting at or after {@code from}. */
    List<HourlyRollup> ownHoursSince(Handle h, String node, long from) {
        return h.createQuery(select(h) + " WHERE node = :node AND period = 'hour' AND period_start >= :from")
                .bind("node", node).bind("from", from)
                .map((rs, ctx) -> rollup(rs)).list();
    }

    /** Every (domain, KPI) with a stored row, of any node and period. */
    List<String[]> domainKpis(Handle h) {
        return h.createQuery("SELECT DISTINCT domain, kpi FROM metrics_rollups")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    }

    /** This node's row of a KPI's total for one period, if stored. */
    Optional<HourlyRollup> own(Handle h, String node, String domain, String kpi, Period period, long start) {
        return h.createQuery(select(h) + " WHERE node = :node AND domain = :domain AND kpi = :kpi AND period = :period"
                        + " AND period_start = :start" + totalsOnly(h))
                .bind("node", node).bind("domain", domain).bind("kpi", kpi).bind("period", period.key())
                .bind("start", start)
                .map((rs, ctx) -> rollup(rs)).findOne();
    }

    /**
     * This node's rows of one series of a KPI ({@code ""}: its total) and period kind with starts in
     * [from, to), merged into one (keyed at {@code from}).
     */
    Optional<HourlyRollup> ownMerged(Handle h, String node, String domain, String kpi, String seriesKey, Period period,
                                     long from, long to) {
        boolean withSeries = storesSeries(h);
        if (!withSeries && !seriesKey.isEmpty()) {
            return Optional.empty();
        }
        Query q = h.createQuery(select(h) + " WHERE node = :node AND domain = :domain AND kpi = :kpi"
                        + " AND period = :period AND period_start >= :from AND period_start < :to"
                        + (withSeries ? " AND series = :series" : ""))
                .bind("node", node).bind("domain", domain).bind("kpi", kpi).bind("period", period.key())
                .bind("from", from).bind("to", to);
        if (withSeries) {
            q.bind("series", seriesKey);
        }
        List<HourlyRollup> rows = q.map((rs, ctx) -> rollup(rs)).list();
        HourlyRollup merged = null;
        for (HourlyRollup r : rows) {
            HourlyRollup at = rekey(r, from);
            merged = merged == null ? at : merged.merge(at);
        }
        return Optional.ofNullable(merged);
    }

    /** Every node's rows of one KPI's total and period kind starting at or after {@code from}, oldest first. */
    List<Row> since(Handle h, String domain, String kpi, Period period, long from) {
        return h.createQuery(select(h) + " WHERE domain = :domain AND kpi = :kpi AND period = :period"
                        + " AND period_start >= :from" + totalsOnly(h) + " ORDER BY period_start, node")
                .bind("domain", domain).bind("kpi", kpi).bind("period", period.key()).bind("from", from)
                .map((rs, ctx) -> new Row(rs.getString("node"), rollup(rs))).list();
    }

    /** Every node's hourly rows (totals and series) starting at or after {@code from}. */
    List<Row> hoursSince(Handle h, long from) {
        return h.createQuery(select(h) + " WHERE period = 'hour' AND period_start >= :from ORDER BY period_start, node,"
                        + " domain, kpi")
                .bind("from", from)
                .map((rs, ctx) -> new Row(rs.getString("node"), rollup(rs))).list();
    }

    /** Deletes one period kind's rows that started before {@code before}; returns how many. */
    int purge(Handle h, Period period, long before) {
        return h.createUpdate("DELETE FROM metrics_rollups WHERE period = :period AND period_start < :before")
                .bind("period", period.key()).bind("before", before).execute();
    }

    private HourlyRollup rollup(ResultSet rs) throws SQLException {
        String seriesKey = Boolean.TRUE.equals(series) ? rs.getString("series") : "";
        return HourlyRollup.of(rs.getString("domain"), rs.getString("kpi"), seriesKey, rs.getLong("period_start"),
                rs.getLong("count"), rs.getDouble("sum"), rs.getDouble("min"), rs.getDouble("max"),
                rs.getDouble("sum_of_squares"), Sketches.decode(rs.getBytes("sketch")));
    }

    static HourlyRollup rekey(HourlyRollup r, long start) {
        if (r.hourStart().toEpochMilli() == start) {
            return r;
        }
        return HourlyRollup.of(r.domain(), r.kpi(), r.series(), start, r.count(), r.sum(), r.min(), r.max(),
                r.sumOfSquares(), Sketches.decode(r.sketchEncoded()));
    }
}
