package dev.grace.store.internal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.internal.rollup.Sketches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * After a run of this node stopped without writing everything it held ({@link RunMarker.Unclean}),
 * rebuilds this node's hourly rollups of the hours it may have left short from this node's raw
 * events, so that a kill -9 loses only what reached neither: each KPI's total from all its raw events,
 * and each series of a KPI with attributes from the raw events of that series (when the schema keeps
 * series rows), compared and rebuilt one by one like totals.
 *
 * <p>Raw events are written independently of rollups, so an hour may hold more raw events than its
 * stored rollup counted (the values accepted after the last flush) or fewer (raw events dropped while
 * the rollup is complete). Only the first is rebuilt: the hour's rollup is recomputed from its raw
 * events (count, sum, min, max, sum of squares and the sketch, in the runtime's DDSketch
 * configuration) and upserted with its day and week, one transaction per hour; a stored count is never
 * lowered. Each rebuilt hour is audited ({@code rollup-rebuilt}) and logged at INFO in one line; each
 * hour that could not be rebuilt is audited ({@code rollup-not-rebuilt}) with the reason, which
 * {@code grace verify} repeats next to that hour's difference.
 *
 * <p>Only this node's rows are read and written: runtimes sharing a PostgreSQL database are left alone.
 */
final class CrashRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final long HOUR_MILLIS = 3_600_000L;
    static final String REBUILT = "rollup-rebuilt";
    static final String NOT_REBUILT = "rollup-not-rebuilt";

    /** What a start found and did, for tests and the log. */
    record Outcome(int hoursRebuilt, int hoursNotRebuilt, long valuesAdded) {
    }

    private final Database db;
    private final String node;
    private final RollupDao rollups;
    private final MetricEventDao events = new MetricEventDao();
    private final AuditLogDao audit = new AuditLogDao();

    CrashRebuild(Database db, String node) {
        this.db = db;
        this.node = node;
        this.rollups = new RollupDao(db.vendor());
    }

    /**
     * Compares, for every hour of this node from the hour of {@code unclean.storedBefore()} on, the
     * stored rollups with the raw events, and rebuilds or reports each hour that differs.
     *
     * @param now           the runtime's clock
     * @param rawRetention  how long raw events are kept: older hours are no longer fully covered
     */
    Outcome rebuild(RunMarker.Unclean unclean, long now, long rawRetention) {
        long covered = Math.floorDiv(now - rawRetention, HOUR_MILLIS) * HOUR_MILLIS + HOUR_MILLIS;
        long from = unclean.storedBefore() == Long.MIN_VALUE ? covered
                : Math.floorDiv(unclean.storedBefore(), HOUR_MILLIS) * HOUR_MILLIS;
        // per hour, per series of a KPI (name(...)): the stored row and the raw figures
        TreeMap<Long, Map<String, HourlyRollup>> stored = new TreeMap<>();
        TreeMap<Long, Map<String, MetricEventDao.HourFigures>> raw = new TreeMap<>();
        db.jdbi().useHandle(h -> {
            for (HourlyRollup r : rollups.ownHoursSince(h, node, from)) {
                stored.computeIfAbsent(r.hourStart().toEpochMilli(), k -> new TreeMap<>())
                        .put(name(r.domain(), r.kpi(), r.series()), r);
            }
            for (MetricEventDao.HourFigures f : events.ownHourFigures(h, node, from)) {
                raw.computeIfAbsent(f.hourStart(), k -> new TreeMap<>()).put(name(f.domain(), f.kpi(), f.series()), f);
            }
        });
        TreeMap<Long, Boolean> hours = new TreeMap<>();
        stored.keySet().forEach(k -> hours.put(k, true));
        raw.keySet().forEach(k -> hours.put(k, true));
        int rebuilt = 0;
        int notRebuilt = 0;
        long added = 0;
        String since = unclean.storedBefore() == Long.MIN_VALUE ? "an unknown time"
                : Instant.ofEpochMilli(unclean.storedBefore()).toString();
        for (long hour : hours.keySet()) {
            Map<String, HourlyRollup> s = stored.getOrDefault(hour, Map.of());
            Map<String, MetricEventDao.HourFigures> r = raw.getOrDefault(hour, Map.of());
            List<MetricEventDao.HourFigures> toRebuild = new ArrayList<>();
            List<String> shortOf = new ArrayList<>();
            TreeMap<String, Boolean> names = new TreeMap<>();
            s.keySet().forEach(k -> names.put(k, true));
            r.keySet().forEach(k -> names.put(k, true));
            for (String name : names.keySet()) {
                HourlyRollup row = s.get(name);
                MetricEventDao.HourFigures f = r.get(name);
                long storedCount = row == null ? 0 : row.count();
                long rawCount = f == null ? 0 : f.count();
                if (rawCount == storedCount) {
                    continue;
                }
                if (hour >= covered && rawCount > storedCount) {
                    toRebuild.add(f);
                } else {
                    shortOf.add(name + " stored " + storedCount + ", raw events " + rawCount);
                }
            }
            String where = "node " + node + " hour " + Instant.ofEpochMilli(hour);
            if (!toRebuild.isEmpty()) {
                added += rebuildHour(hour, toRebuild, s, where, now);
                rebuilt++;
            }
            if (!shortOf.isEmpty()) {
                String reason;
                if (hour < covered) {
                    reason = "raw events purged by retention (store.rawRetention)";
                } else if (!unclean.rawEvents()) {
                    reason = "raw events were off (publisher.rawEvents: false); values accepted after " + since
                            + " and not flushed are lost";
                } else {
                    reason = "raw events dropped: fewer raw events than stored values, the stored rollup is kept";
                }
                notRebuilt++;
                String detail = where + ": not rebuilt after an unclean stop: " + reason + " (" + String.join("; ", shortOf) + ")";
                audit.append(db.jdbi(), now, node, NOT_REBUILT, detail);
                LOG.info("store: {}", detail);
            }
        }
        if (!unclean.rawEvents() && hours.isEmpty()) {
            LOG.info("store: node {} stopped uncleanly with raw events off; nothing to rebuild from", node);
        }
        return new Outcome(rebuilt, notRebuilt, added);
    }

    /** How a series of a KPI is named in the audit log and by verify: {@code domain/kpi}, {@code domain/kpi{series}}. */
    static String name(String domain, String kpi, String series) {
        return domain + '/' + kpi + (series.isEmpty() ? "" : "{" + series + "}");
    }

    /**
     * Recomputes the listed series of one hour (a KPI's total from all its raw events, a series from its
     * own) and upserts them in one transaction; returns values added to the totals.
     */
    private long rebuildHour(long hour, List<MetricEventDao.HourFigures> series, Map<String, HourlyRollup> stored,
                             String where, long now) {
        long[] added = {0};
        List<String> changes = new ArrayList<>();
        db.jdbi().useTransaction(h -> {
            List<HourlyRollup> rows = new ArrayList<>();
            for (MetricEventDao.HourFigures f : series) {
                DDSketch sketch = Sketches.newSketch();
                double[] acc = {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
                long[] n = {0};
                events.eachValue(h, node, f.domain(), f.kpi(), f.series().isEmpty() ? null : f.series(), hour,
                        hour + HOUR_MILLIS, v -> {
                    sketch.accept(v); // as Cell.add does: the same sketch, fed value by value
                    n[0]++;
                    acc[0] += v;
                    acc[1] += v * v;
                    acc[2] = Math.min(acc[2], v);
                    acc[3] = Math.max(acc[3], v);
                });
                String name = name(f.domain(), f.kpi(), f.series());
                HourlyRollup before = stored.get(name);
                long was = before == null ? 0 : before.count();
                if (n[0] <= was) {
                    continue; // raced below the stored count: never lower it
                }
                rows.add(HourlyRollup.of(f.domain(), f.kpi(), f.series(), hour, n[0], acc[0], acc[2], acc[3], acc[1],
                        sketch));
                changes.add(name + " " + was + " → " + n[0]);
                if (f.series().isEmpty()) {
                    added[0] += n[0] - was;
                }
            }
            rollups.upsertHours(h, node, rows, now);
        });
        if (changes.isEmpty()) {
            return 0;
        }
        // after the commit, in a transaction of its own: an append retries when another node appended first
        audit.append(db.jdbi(), now, node, REBUILT, where + ": rebuilt from raw events after an unclean stop: "
                + String.join(", ", changes));
        LOG.info("store: {} rebuilt from raw events after an unclean stop: {}", where, String.join(", ", changes));
        return added[0];
    }
}
