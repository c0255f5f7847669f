package dev.grace.store.internal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.store.Period;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
    /*
     * On H2 an upsert is a prepared UPDATE by the key, then an INSERT of the rows it found none for (one
     * writer per node and one transaction make that safe): H2 (2.5) kept planning MERGE's key lookup on
     * metrics_rollups_hour, every row of the period for each row merged (3,000 rows into 9,000: 2 s),
     * even with statistics, where the UPDATE takes the unique key (V8 for a table without statistics).
     */
    private static final String UPDATE_H2 = "UPDATE metrics_rollups SET count = :count, sum = :sum, min = :min,"
            + " max = :max, sum_of_squares = :sumOfSquares, sketch = :sketch, updated_at = :updatedAt"
            + " WHERE node = :node AND domain = :domain AND kpi = :kpi AND series = :series AND period = :period"
            + " AND period_start = :start";
    private static final String INSERT_H2 = "INSERT INTO metrics_rollups (" + COLUMNS + ") VALUES " + VALUES;
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

    /**
     * Rows per JDBC batch and per fetch of stored rows: a flush holds this many rows' parameters and
     * fetched rows at once, and one merged row per changed series, not every stored row it reads.
     */
    static final int CHUNK = 1_000;

    /** Writes each rollup's whole state as this node's row for the period, under the rollup's series. */
    void upsert(Handle h, String node, Period period, List<HourlyRollup> rollups, long updatedAt) {
        for (int from = 0; from < rollups.size(); from += CHUNK) {
            List<HourlyRollup> chunk = rollups.subList(from, Math.min(rollups.size(), from + CHUNK));
            if (vendor == Vendor.H2) {
                List<byte[]> sketches = new ArrayList<>(chunk.size());
                chunk.forEach(r -> sketches.add(r.sketchEncoded()));
                int[] updated = bind(h.prepareBatch(UPDATE_H2), node, period, chunk, sketches, updatedAt, null).execute();
                if (Arrays.stream(updated).anyMatch(n -> n == 0)) {
                    bind(h.prepareBatch(INSERT_H2), node, period, chunk, sketches, updatedAt, updated).execute();
                }
            } else {
                bind(h.prepareBatch(UPSERT_POSTGRESQL), node, period, chunk, null, updatedAt, null).execute();
            }
        }
    }

    /** Binds the rows (with their encoded sketches, when given) and, when {@code only} is given, those it counts 0 for. */
    private static PreparedBatch bind(PreparedBatch batch, String node, Period period, List<HourlyRollup> rows,
                                      List<byte[]> sketches, long updatedAt, int[] only) {
        for (int i = 0; i < rows.size(); i++) {
            if (only != null && only[i] != 0) {
                continue;
            }
            HourlyRollup r = rows.get(i);
            batch.bind("node", node).bind("domain", r.domain()).bind("kpi", r.kpi()).bind("series", r.series())
                    .bind("period", period.key()).bind("start", r.hourStart().toEpochMilli())
                    .bind("count", r.count()).bind("sum", r.sum()).bind("min", r.min()).bind("max", r.max())
                    .bind("sumOfSquares", r.sumOfSquares())
                    .bind("sketch", sketches == null ? r.sketchEncoded() : sketches.get(i))
                    .bind("updatedAt", updatedAt).add();
        }
        return batch;
    }

    /**
     * Writes hours' whole state as this node's rows (totals and series alike), then their days and weeks
     * merged from this node's stored hours and days of the same series; the caller's transaction holds
     * all of it. The stored rows are read in one query per period start and merged in memory, each row's
     * sketch decoded once and each merged row's encoded once.
     */
    void upsertHours(Handle h, String node, List<HourlyRollup> hours, long now) {
        upsert(h, node, Period.HOUR, hours, now);
        for (Period period : List.of(Period.DAY, Period.WEEK)) {
            Period from = period == Period.DAY ? Period.HOUR : Period.DAY;
            // per period start, domain and KPI: the series whose period must be merged again
            Map<Long, Map<String, Map<String, Set<String>>>> wanted = new TreeMap<>();
            for (HourlyRollup r : hours) {
                wanted.computeIfAbsent(period.start(r.hourStart().toEpochMilli()), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.domain(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.kpi(), k -> new HashSet<>()).add(r.series());
            }
            // one query per period start: this node's rows of the period, all KPIs, streamed and merged
            // per wanted series; at most one merged row per series held in memory
            wanted.forEach((start, domains) -> {
                Map<String, Merged> merged = new LinkedHashMap<>();
                eachOwn(h, node, from, start, period.end(start), rs -> {
                    String domain = rs.getString("domain");
                    String kpi = rs.getString("kpi");
                    String series = rs.getString("series");
                    Map<String, Set<String>> kpis = domains.get(domain);
                    Set<String> of = kpis == null ? null : kpis.get(kpi);
                    if (of != null && of.contains(series)) {
                        merged.computeIfAbsent(domain + '\u0000' + kpi + '\u0000' + series,
                                k -> new Merged(domain, kpi, series)).add(rs);
                    }
                });
                List<HourlyRollup> rows = new ArrayList<>(merged.size());
                merged.values().forEach(m -> rows.add(m.at(start)));
                merged.clear();
                upsert(h, node, period, rows, now);
            });
        }
    }

    /** This node's hour rows (totals and series) of every KPI starting at {@code hour}: one query. */
    List<HourlyRollup> ownHours(Handle h, String node, long hour) {
        List<HourlyRollup> out = new ArrayList<>();
        eachOwn(h, node, Period.HOUR, hour, hour + 1, rs -> out.add(rollup(rs)));
        return out;
    }

    /**
     * Hands each of this node's rows of one period kind in [from, to) to {@code each}, fetched
     * {@link #CHUNK} at a time: through metrics_rollups_hour (period, period_start), the one index
     * both databases plan this on.
     */
    private void eachOwn(Handle h, String node, Period period, long from, long to, RowConsumer each) {
        h.createQuery(SELECT + " WHERE period = :period AND period_start >= :from AND period_start < :to"
                        + " AND node = :node")
                .bind("node", node).bind("period", period.key()).bind("from", from).bind("to", to)
                .setFetchSize(CHUNK)
                .map((rs, ctx) -> {
                    each.accept(rs);
                    return Boolean.TRUE;
                }).forEach(done -> { });
    }

    /** Reads one row of a result set. */
    @FunctionalInterface
    private interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    /** One series' period merged from stored rows: the first row's decoded sketch takes the others in. */
    private static final class Merged {
        private final String domain;
        private final String kpi;
        private final String series;
        private long count;
        private double sum;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sumOfSquares;
        private DDSketch sketch;

        Merged(String domain, String kpi, String series) {
            this.domain = domain;
            this.kpi = kpi;
            this.series = series;
        }

        void add(ResultSet rs) throws SQLException {
            count += rs.getLong("count");
            sum += rs.getDouble("sum");
            min = Math.min(min, rs.getDouble("min"));
            max = Math.max(max, rs.getDouble("max"));
            sumOfSquares += rs.getDouble("sum_of_squares");
            DDSketch s = Sketches.decode(rs.getBytes("sketch"));
            if (sketch == null) {
                sketch = s;
            } else {
                sketch.mergeWith(s);
            }
        }

        HourlyRollup at(long start) {
            return HourlyRollup.of(domain, kpi, series, start, count, sum, min, max, sumOfSquares, sketch);
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

    private static HourlyRollup rollup(ResultSet rs) throws SQLException {
        return HourlyRollup.of(rs.getString("domain"), rs.getString("kpi"), rs.getString("series"),
                rs.getLong("period_start"), rs.getLong("count"), rs.getDouble("sum"), rs.getDouble("min"),
                rs.getDouble("max"), rs.getDouble("sum_of_squares"), Sketches.decode(rs.getBytes("sketch")));
    }
}
