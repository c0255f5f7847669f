package dev.grace.store.internal;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.store.Period;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * {@code metrics_rollups}: one row per (node, domain, KPI, period, period start). An upsert writes
 * a period's whole state, so writing it twice is harmless. Rows are handled as {@link HourlyRollup}s
 * whose "hour" is the period's start.
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

    /** A stored row: the node that wrote it and its state. */
    record Row(String node, HourlyRollup rollup) {
    }

    private final Vendor vendor;

    RollupDao(Vendor vendor) {
        this.vendor = vendor;
    }

    /** Writes each rollup's whole state as this node's row for the period. */
    void upsert(Handle h, String node, Period period, List<HourlyRollup> rollups, long updatedAt) {
        PreparedBatch batch = h.prepareBatch(vendor == Vendor.H2 ? MERGE_H2 : UPSERT_POSTGRESQL);
        for (HourlyRollup r : rollups) {
            batch.bind("node", node).bind("domain", r.domain()).bind("kpi", r.kpi()).bind("period", period.key())
                    .bind("start", r.hourStart().toEpochMilli()).bind("count", r.count()).bind("sum", r.sum())
                    .bind("min", r.min()).bind("max", r.max()).bind("sumOfSquares", r.sumOfSquares())
                    .bind("sketch", r.sketchEncoded()).bind("updatedAt", updatedAt).add();
        }
        batch.execute();
    }

    /**
     * Writes hours' whole state as this node's rows, then their days and weeks merged from this node's
     * stored hours and days; the caller's transaction holds all of it.
     */
    void upsertHours(Handle h, String node, List<HourlyRollup> hours, long now) {
        upsert(h, node, Period.HOUR, hours, now);
        for (Period period : List.of(Period.DAY, Period.WEEK)) {
            Period from = period == Period.DAY ? Period.HOUR : Period.DAY;
            Set<String> done = new LinkedHashSet<>();
            List<HourlyRollup> merged = new ArrayList<>();
            for (HourlyRollup r : hours) {
                long start = period.start(r.hourStart().toEpochMilli());
                if (done.add(r.domain() + '/' + r.kpi() + '/' + start)) {
                    ownMerged(h, node, r.domain(), r.kpi(), from, start, period.end(start)).ifPresent(merged::add);
                }
            }
            upsert(h, node, period, merged, now);
        }
    }

    /** This node's hourly rows starting at or after {@code from}. */
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

    /** This node's row for one period, if stored. */
    Optional<HourlyRollup> own(Handle h, String node, String domain, String kpi, Period period, long start) {
        return h.createQuery(SELECT + " WHERE node = :node AND domain = :domain AND kpi = :kpi AND period = :period"
                        + " AND period_start = :start")
                .bind("node", node).bind("domain", domain).bind("kpi", kpi).bind("period", period.key())
                .bind("start", start)
                .map((rs, ctx) -> rollup(rs)).findOne();
    }

    /** This node's rows of one KPI and period kind with starts in [from, to), merged into one (keyed at {@code from}). */
    Optional<HourlyRollup> ownMerged(Handle h, String node, String domain, String kpi, Period period, long from,
                                     long to) {
        List<HourlyRollup> rows = h.createQuery(SELECT + " WHERE node = :node AND domain = :domain AND kpi = :kpi"
                        + " AND period = :period AND period_start >= :from AND period_start < :to")
                .bind("node", node).bind("domain", domain).bind("kpi", kpi).bind("period", period.key())
                .bind("from", from).bind("to", to)
                .map((rs, ctx) -> rollup(rs)).list();
        HourlyRollup merged = null;
        for (HourlyRollup r : rows) {
            HourlyRollup at = rekey(r, from);
            merged = merged == null ? at : merged.merge(at);
        }
        return Optional.ofNullable(merged);
    }

    /** Every node's rows of one KPI and period kind starting at or after {@code from}, oldest first. */
    List<Row> since(Handle h, String domain, String kpi, Period period, long from) {
        return h.createQuery(SELECT + " WHERE domain = :domain AND kpi = :kpi AND period = :period"
                        + " AND period_start >= :from ORDER BY period_start, node")
                .bind("domain", domain).bind("kpi", kpi).bind("period", period.key()).bind("from", from)
                .map((rs, ctx) -> new Row(rs.getString("node"), rollup(rs))).list();
    }

    /** Every node's hourly rows starting at or after {@code from}. */
    List<Row> hoursSince(Handle h, long from) {
        return h.createQuery(SELECT + " WHERE period = 'hour' AND period_start >= :from ORDER BY period_start, node,"
                        + " domain, kpi")
                .bind("from", from)
                .map((rs, ctx) -> new Row(rs.getString("node"), rollup(rs))).list();
    }

    /** Deletes one period kind's rows that started before {@code before}; returns how many. */
    int purge(Handle h, Period period, long before) {
        return h.createUpdate("DELETE FROM metrics_rollups WHERE period = :period AND period_start < :before")
                .bind("period", period.key()).bind("before", before).execute();
    }

    private static HourlyRollup rollup(java.sql.ResultSet rs) throws java.sql.SQLException {
        return HourlyRollup.of(rs.getString("domain"), rs.getString("kpi"), rs.getLong("period_start"),
                rs.getLong("count"), rs.getDouble("sum"), rs.getDouble("min"), rs.getDouble("max"),
                rs.getDouble("sum_of_squares"), Sketches.decode(rs.getBytes("sketch")));
    }

    static HourlyRollup rekey(HourlyRollup r, long start) {
        if (r.hourStart().toEpochMilli() == start) {
            return r;
        }
        return HourlyRollup.of(r.domain(), r.kpi(), start, r.count(), r.sum(), r.min(), r.max(), r.sumOfSquares(),
                Sketches.decode(r.sketchEncoded()));
    }
}
