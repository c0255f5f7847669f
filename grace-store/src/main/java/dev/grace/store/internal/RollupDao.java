package dev.grace.store.internal;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.store.Period;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code metrics_rollups}: one row per (node, domain, KPI, series, period, period start). An upsert
 * writes a period's whole state, so writing it twice is harmless. Rows are handled as
 * {@link HourlyRollup}s whose "hour" is the period's start and whose series is the row's
 * ({@code ""} for the KPI's total, docs/attributes.md). Methods that read "rows" of a KPI read its
 * totals only unless their name says series: every reader from before series (scores, verify, the
 * crash rebuild, {@code rollups()}) sees exactly what it saw.
 */
final class RollupDao {

    private static final String COLUMNS = "node, domain, kpi, series, period, period_start, count, sum, min, max,"
            + " sum_of_squares, sketch, updated_at";
    private static final String VALUES = "(:node, :domain, :kpi, :series, :period, :start, :count, :sum, :min, :max,"
            + " :sumOfSquares, :sketch, :updatedAt)";
    private static final String MERGE_H2 = "MERGE INTO metrics_rollups (" + COLUMNS + ")"
            + " KEY (node, domain, kpi, series, period, period_start) VALUES " + VALUES;
    private static final String UPSERT_POSTGRESQL = "INSERT INTO metrics_rollups (" + COLUMNS + ") VALUES " + VALUES
            + " ON CONFLICT (node, domain, kpi, series, period, period_start) DO UPDATE SET count = EXCLUDED.count,"
            + " sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max,"
            + " sum_of_squares = EXCLUDED.sum_of_squares, sketch = EXCLUDED.sketch, updated_at = EXCLUDED.updated_at";
    private static final String SELECT = "SELECT node, domain, kpi, series, period_start, count, sum, min, max,"
            + " sum_of_squares, sketch FROM metrics_rollups";
    private static final String TOTALS = " AND series = ''";

    /** A stored row: the node that wrote it and its state. */
    record Row(String node, HourlyRollup rollup) {
    }

    private final Vendor vendor;

    RollupDao(Vendor vendor) {
        this.vendor = vendor;
    }

    /** Writes each rollup's whole state as this node's row for the period, under the rollup's series. */
    void upsert(Handle h, String node, Period period, List<HourlyRollup> rollups, long updatedAt) {
        if (rollups.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch(vendor == Vendor.H2 ? MERGE_H2 : UPSERT_POSTGRESQL);
        for (HourlyRollup r : rollups) {
            batch.bind("node", node).bind("domain", r.domain()).bind("kpi", r.kpi()).bind("series", r.series())
                    .bind("period", period.key()).bind("start", r.hourStart().toEpochMilli()).bind("count", r.count())
                    .bind("sum", r.sum()).bind("min", r.min()).bind("max", r.max())
                    .bind("sumOfSquares", r.sumOfSquares()).bind("sketch", r.sketchEncoded())
                    .bind("updatedAt", updatedAt).add();
        }
        batch.execute();
    }

    /**
     * Writes hours' whole state as this node's rows (totals and series alike), then their days and weeks
     * merged from this node's stored hours and days of the same series; the caller's transaction holds
     * all of it.
     */
    void upsertHours(Handle h, String node, List<HourlyRollup> hours, long now) {
        upsert(h, node, Period.HOUR, hours, now);
        for (Period period : List.of(Period.DAY, Period.WEEK)) {
            Period from = period == Period.DAY ? Period.HOUR : Period.DAY;
            // per (domain, KPI, period start): the series whose period must be merged again, read in one query
            Map<String, Set<String>> wanted = new LinkedHashMap<>();
            Map<String, HourlyRollup> first = new HashMap<>();
            for (HourlyRollup r : hours) {
                long start = period.start(r.hourStart().toEpochMilli());
                String id = r.domain() + '\u0000' + r.kpi() + '\u0000' + start;
                wanted.computeIfAbsent(id, k -> new HashSet<>()).add(r.series());
                first.putIfAbsent(id, r);
            }
            List<HourlyRollup> merged = new ArrayList<>();
            wanted.forEach((id, series) -> {
                HourlyRollup r = first.get(id);
                long start = period.start(r.hourStart().toEpochMilli());
                ownMergedBySeries(h, node, r.domain(), r.kpi(), from, start, period.end(start)).forEach((s, m) -> {
                    if (series.contains(s)) {
                        merged.add(m);
                    }
                });
            });
            upsert(h, node, period, merged, now);
        }
    }

    /** This node's hourly rows (totals and series) starting at or after {@code from}: what the crash rebuild compares. */
    List<HourlyRollup> ownHoursSince(Handle h, String node, long from) {
        return h.createQuery(SELECT + " WHERE node = :node AND period = 'hour' AND period_start >= :from")
                .bind("node", node).bind("from", from)
                .map((rs, ctx) -> rollup(rs)).list();
    }

    /** Every (domain, KPI) with a stored row, of any node and period. */
    List<String[]> domainKpis(Handle h) {
        return h.createQuery("SELECT DISTINCT domain, kpi FROM metrics_rollups")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    }

    /** The series keys of one KPI's stored series rows (not its total), of any node and period. */
    List<String> seriesOf(Handle h, String domain, String kpi) {
        return h.createQuery("SELECT DISTINCT series FROM metrics_rollups WHERE domain = :domain AND kpi = :kpi"
                        + " AND series <> ''")
                .bind("domain", domain).bind("kpi", kpi).mapTo(String.class).list();
    }

    /** This node's row of one series ({@code ""}: the total) for one period, if stored. */
    Optional<HourlyRollup> own(Handle h, String node, String domain, String kpi, String series, Period period,
                               long start) {
        return h.createQuery(SELECT + " WHERE node = :node AND domain = :domain AND kpi = :kpi AND series = :series"
                        + " AND period = :period AND period_start = :start")
                .bind("node", node).bind("domain", domain).bind("kpi", kpi).bind("series", series)
                .bind("period", period.key()).bind("start", start)
                .map((rs, ctx) -> rollup(rs)).findOne();
    }

    /** This node's rows for one period, its total's and every series', by series key. */
    Map<String, HourlyRollup> ownBySeries(Handle h, String node, String domain, String kpi, Period period,
                                          long start) {
        Map<String, HourlyRollup> out = new HashMap<>();
        h.createQuery(SELECT + " WHERE node = :node AND domain = :domain AND kpi = :kpi AND period = :period"
                        + " AND period_start = :start")
                .bind("node", node).bind("domain", domain).bind("kpi", kpi).bind("period", period.key())
                .bind("start", start)
                .map((rs, ctx) -> rollup(rs)).forEach(r -> out.put(r.series(), r));
        return out;
    }

    /**
     * This node's rows of one KPI and period kind with starts in [from, to), merged per series into one
     * each (keyed at {@code from}).
     */
    Map<String, HourlyRollup> ownMergedBySeries(Handle h, String node, String domain, String kpi, Period period,
                                                long from, long to) {
        List<HourlyRollup> rows = h.createQuery(SELECT + " WHERE node = :node AND domain = :domain AND kpi = :kpi"
                        + " AND period = :period AND period_start >= :from AND period_start < :to")
                .bind("node", node).bind("domain", domain).bind("kpi", kpi).bind("period", period.key())
                .bind("from", from).bind("to", to)
                .map((rs, ctx) -> rollup(rs)).list();
        Map<String, HourlyRollup> merged = new LinkedHashMap<>();
        for (HourlyRollup r : rows) {
            merged.merge(r.series(), rekey(r, from), HourlyRollup::merge);
        }
        return merged;
    }

    /** Every node's total rows of one KPI and period kind starting at or after {@code from}, oldest first. */
    List<Row> since(Handle h, String domain, String kpi, Period period, long from) {
        return h.createQuery(SELECT + " WHERE domain = :domain AND kpi = :kpi AND period = :period" + TOTALS
                        + " AND period_start >= :from ORDER BY period_start, node")
                .bind("domain", domain).bind("kpi", kpi).bind("period", period.key()).bind("from", from)
                .map((rs, ctx) -> new Row(rs.getString("node"), rollup(rs))).list();
    }

    /** Every node's series rows (not totals) of one KPI and period kind starting in [{@code from}, {@code to}). */
    List<Row> seriesBetween(Handle h, String domain, String kpi, Period period, long from, long to) {
        return h.createQuery(SELECT + " WHERE domain = :domain AND kpi = :kpi AND period = :period"
                        + " AND series <> '' AND period_start >= :from AND period_start < :to"
                        + " ORDER BY period_start, series, node")
                .bind("domain", domain).bind("kpi", kpi).bind("period", period.key()).bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> new Row(rs.getString("node"), rollup(rs))).list();
    }

    /** Every node's hourly rows (totals and series) starting at or after {@code from}: what verify compares. */
    List<Row> hoursSince(Handle h, long from) {
        return h.createQuery(SELECT + " WHERE period = 'hour' AND period_start >= :from"
                        + " ORDER BY period_start, node, domain, kpi")
                .bind("from", from)
                .map((rs, ctx) -> new Row(rs.getString("node"), rollup(rs))).list();
    }

    /** Deletes one period kind's rows (totals and series) that started before {@code before}; returns how many. */
    int purge(Handle h, Period period, long before) {
        return h.createUpdate("DELETE FROM metrics_rollups WHERE period = :period AND period_start < :before")
                .bind("period", period.key()).bind("before", before).execute();
    }

    private static HourlyRollup rollup(java.sql.ResultSet rs) throws java.sql.SQLException {
        return HourlyRollup.of(rs.getString("domain"), rs.getString("kpi"), rs.getString("series"),
                rs.getLong("period_start"), rs.getLong("count"), rs.getDouble("sum"), rs.getDouble("min"),
                rs.getDouble("max"), rs.getDouble("sum_of_squares"), Sketches.decode(rs.getBytes("sketch")));
    }

    static HourlyRollup rekey(HourlyRollup r, long start) {
        if (r.hourStart().toEpochMilli() == start) {
            return r;
        }
        return HourlyRollup.of(r.domain(), r.kpi(), r.series(), start, r.count(), r.sum(), r.min(), r.max(),
                r.sumOfSquares(), Sketches.decode(r.sketchEncoded()));
    }
}
