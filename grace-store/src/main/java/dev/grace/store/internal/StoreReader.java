package dev.grace.store.internal;

import dev.grace.api.SeriesKey;
import dev.grace.runtime.HourlyRollup;
import dev.grace.store.AuditVerdict;
import dev.grace.store.JournalBacklog;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.runtime.store.RollupQuery;
import dev.grace.runtime.store.SeriesGroups;
import dev.grace.store.StoreException;
import dev.grace.store.VerifyReport;
import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Everything that reads the store: the rollup query, verify, audit verify, and backup. */
public final class StoreReader implements RollupQuery {

    private static final long HOUR_MILLIS = 3_600_000L;

    private final Database db;
    private final RollupDao rollups;
    private final CatalogDao catalog;
    private final MetricEventDao events = new MetricEventDao();
    private final AuditLogDao audit = new AuditLogDao();

    public StoreReader(Database db) {
        this.db = db;
        this.rollups = new RollupDao(db.vendor());
        this.catalog = new CatalogDao(db.vendor());
    }

    @Override
    public List<PeriodRollup> rollups(String domain, String kpi, Period period, Instant since) {
        long from = period.start(since.toEpochMilli());
        List<RollupDao.Row> rows = db.jdbi().withHandle(h -> rollups.since(h, domain, kpi, period, from));
        Map<Long, HourlyRollup> merged = new LinkedHashMap<>();
        Map<Long, Integer> nodes = new HashMap<>();
        for (RollupDao.Row row : rows) {
            long start = row.rollup().hourStart().toEpochMilli();
            merged.merge(start, row.rollup(), HourlyRollup::merge);
            nodes.merge(start, 1, Integer::sum);
        }
        List<PeriodRollup> out = new ArrayList<>(merged.size());
        merged.forEach((start, r) -> out.add(PeriodRollup.of(period, r, nodes.get(start))));
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each stored series is merged across nodes first, then the series are grouped by {@code key}'s
     * value ({@link SeriesGroups#by}); a row's {@code nodes} is how many distinct nodes wrote any of
     * the series merged into it.
     */
    @Override
    public List<PeriodRollup> rollupsBy(String domain, String kpi, String key, Period period, Instant since) {
        long from = period.start(since.toEpochMilli());
        return db.jdbi().withHandle(h -> rollupsBy(h, domain, kpi, key, period, from, Long.MAX_VALUE));
    }

    /**
     * {@link #rollupsBy(String, String, String, Period, Instant)} for the periods starting in
     * [{@code from}, {@code to}), in the caller's handle (cognition reads it inside its evaluation).
     */
    public List<PeriodRollup> rollupsBy(Handle h, String domain, String kpi, String key, Period period, long from,
                                        long to) {
        List<RollupDao.Row> rows = rollups.seriesBetween(h, domain, kpi, period, from, to);
        Map<String, HourlyRollup> merged = new LinkedHashMap<>();
        Map<String, Set<String>> nodes = new HashMap<>();
        for (RollupDao.Row row : rows) {
            HourlyRollup r = row.rollup();
            String group = SeriesGroups.groupOf(key, r.series());
            if (group == null) {
                continue;
            }
            merged.merge(r.hourStart().toEpochMilli() + "\u0000" + r.series(), r, HourlyRollup::merge);
            nodes.computeIfAbsent(r.hourStart().toEpochMilli() + "\u0000" + group, g -> new HashSet<>())
                    .add(row.node());
        }
        List<PeriodRollup> out = new ArrayList<>();
        for (HourlyRollup g : SeriesGroups.by(key, merged.values())) {
            out.add(PeriodRollup.of(period, g, nodes.get(g.hourStart().toEpochMilli() + "\u0000" + g.series()).size()));
        }
        return out;
    }

    /**
     * The attribute keys carried by one KPI's stored series (of any node and period), sorted, with
     * {@code _overflow} last when the overflow series is stored; empty when the KPI has only totals.
     */
    public List<String> seriesKeys(String domain, String kpi) {
        TreeSet<String> keys = new TreeSet<>();
        boolean overflow = false;
        for (String series : db.jdbi().withHandle(h -> rollups.seriesOf(h, domain, kpi))) {
            if (SeriesKey.isOverflow(series)) {
                overflow = true;
            } else {
                keys.addAll(SeriesKey.parse(series).keySet());
            }
        }
        List<String> out = new ArrayList<>(keys);
        if (overflow) {
            out.add(SeriesKey.OVERFLOW);
        }
        return out;
    }

    /**
     * The KPIs the store knows, by domain, both sorted: those with stored rollups and those in the KPI
     * catalogue (declared by a plugin that ran, even if nothing was published).
     */
    public Map<String, List<String>> kpis() {
        Map<String, TreeSet<String>> known = new TreeMap<>();
        db.jdbi().useHandle(h -> {
            for (String[] dk : rollups.domainKpis(h)) {
                known.computeIfAbsent(dk[0], d -> new TreeSet<>()).add(dk[1]);
            }
            for (CatalogDao.CatalogKpi k : catalog.catalog(h)) {
                known.computeIfAbsent(k.domain(), d -> new TreeSet<>()).add(k.kpi());
            }
        });
        Map<String, List<String>> out = new LinkedHashMap<>();
        known.forEach((d, k) -> out.put(d, List.copyOf(k)));
        return out;
    }

    /**
     * Recomputes every hourly rollup still covered by raw events (hours that start after
     * {@code coveredFrom}, before which retention may have purged part of an hour) and compares it
     * with the stored row of the same node.
     */
    public VerifyReport verify(long coveredFrom) {
        long from = Period.HOUR.start(coveredFrom) + (coveredFrom % HOUR_MILLIS == 0 ? 0 : HOUR_MILLIS);
        return verify(from, Long.MAX_VALUE);
    }

    /**
     * Recomputes the hourly rollups of the hours starting in [{@code from}, {@code to}) from the raw
     * events and compares each with the stored row of the same node. The caller makes sure those hours
     * are still covered by raw events.
     */
    public VerifyReport verify(long from, long to) {
        List<MetricEventDao.HourFigures> raw = db.jdbi().withHandle(h -> events.hourFigures(h, from)).stream()
                .filter(f -> f.hourStart() < to).toList();
        List<RollupDao.Row> stored = db.jdbi().withHandle(h -> rollups.hoursSince(h, from)).stream()
                .filter(r -> r.rollup().hourStart().toEpochMilli() < to).toList();
        Map<String, RollupDao.Row> byKey = new TreeMap<>();
        for (RollupDao.Row row : stored) {
            HourlyRollup r = row.rollup();
            byKey.put(key(row.node(), r.domain(), r.kpi(), r.series(), r.hourStart().toEpochMilli()), row);
        }
        // each difference with the "node N hour H: " its audit notes start with
        List<String[]> differences = new ArrayList<>();
        for (MetricEventDao.HourFigures f : raw) {
            RollupDao.Row row = byKey.remove(key(f.node(), f.domain(), f.kpi(), f.series(), f.hourStart()));
            String where = "node " + f.node() + ' ' + CrashRebuild.name(f.domain(), f.kpi(), f.series()) + " hour "
                    + Instant.ofEpochMilli(f.hourStart());
            String noteKey = "node " + f.node() + " hour " + Instant.ofEpochMilli(f.hourStart()) + ": ";
            if (row == null) {
                differences.add(new String[] {where + ": " + f.count() + " raw events but no stored rollup", noteKey});
                continue;
            }
            HourlyRollup r = row.rollup();
            if (r.count() != f.count() || !close(r.sum(), f.sum()) || r.min() != f.min() || r.max() != f.max()
                    || !close(r.sumOfSquares(), f.sumOfSquares())) {
                differences.add(new String[] {where + ": stored count=" + r.count() + " sum=" + r.sum() + " min="
                        + r.min() + " max=" + r.max() + ", raw events count=" + f.count() + " sum=" + f.sum() + " min="
                        + f.min() + " max=" + f.max(), noteKey});
            }
        }
        int compared = raw.size() + byKey.size();
        byKey.values().forEach(row -> {
            HourlyRollup r = row.rollup();
            differences.add(new String[] {"node " + row.node() + ' ' + CrashRebuild.name(r.domain(), r.kpi(), r.series())
                    + " hour " + r.hourStart() + ": stored count=" + r.count() + " but no raw events",
                    "node " + row.node() + " hour " + r.hourStart() + ": "});
        });
        differences.sort(Comparator.comparing(d -> d[0]));
        // Hours a start after an unclean stop could not rebuild: say why on their lines, and list those
        // verify no longer covers.
        List<String> notes = db.jdbi().withHandle(h -> audit.details(h, CrashRebuild.NOT_REBUILT));
        List<String> annotated = new ArrayList<>(differences.size());
        Set<String> used = new HashSet<>();
        for (String[] d : differences) {
            String note = noteFor(d[1], notes);
            if (note != null) {
                used.add(note);
                annotated.add(d[0] + " — " + note.substring(note.indexOf(": not rebuilt") + 2));
            } else {
                annotated.add(d[0]);
            }
        }
        List<String> uncovered = new ArrayList<>();
        for (String note : notes) {
            if (!used.contains(note) && hourOf(note) < from && !uncovered.contains(note)) {
                uncovered.add(note);
            }
        }
        return new VerifyReport(compared, annotated, uncovered);
    }

    private static String key(String node, String domain, String kpi, String series, long hour) {
        return node + '|' + domain + '/' + kpi + '|' + series + '|' + hour;
    }

    /** The latest note that starts with {@code prefix} ("node N hour H: "), or null. */
    private static String noteFor(String prefix, List<String> notes) {
        String found = null;
        for (String note : notes) {
            if (note.startsWith(prefix)) {
                found = note;
            }
        }
        return found;
    }

    private static long hourOf(String note) {
        try {
            int at = note.indexOf(" hour ");
            return Instant.parse(note.substring(at + 6, note.indexOf(": ", at))).toEpochMilli();
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    public AuditVerdict verifyAudit() {
        AuditLogDao.Verdict v = db.jdbi().withHandle(audit::verify);
        return new AuditVerdict(v.rowsChecked(), v.firstBroken());
    }

    /** Raw events stored, every node's. */
    /**
     * What the journal in {@code dir} (node {@code node}'s) holds that this database has not applied yet;
     * writes nothing.
     */
    public JournalBacklog journalBacklog(Path dir, String node) {
        long applied = Files.isDirectory(dir)
                ? db.jdbi().withHandle(h -> new RawEventBatchDao().last(h, Journal.appliedKey(node))).orElse(0L) : 0;
        long[] backlog = Journal.backlog(dir, applied);
        return new JournalBacklog(dir, backlog[0], backlog[1]);
    }

    public long rawEventCount() {
        return db.jdbi().withHandle(events::count);
    }

    /**
     * A consistent online backup of an H2 database into a zip file (H2's {@code BACKUP TO}, which
     * copies a consistent state while writers go on).
     *
     * @throws StoreException on PostgreSQL (use pg_dump), or when the file cannot be written
     */
    public Path backup(Path file) {
        if (db.vendor() != Vendor.H2) {
            throw new StoreException("grace backup copies the embedded H2 database; on PostgreSQL use pg_dump"
                    + " (for example: pg_dump -Fc -f grace.dump DATABASE)");
        }
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new StoreException("backup file " + file + " exists already; name a new file");
        }
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory of backup file " + file + ": " + e.getMessage());
        }
        db.jdbi().useHandle(h -> h.createUpdate("BACKUP TO :file").bind("file", target.toString()).execute());
        return target;
    }
}
