package dev.grace.cognition.internal;

import dev.grace.runtime.cognition.KpiFlag;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** The guard's statements: the window's hourly series and {@code kpi_flags}, for H2 and PostgreSQL alike. */
final class GuardDao {

    /** What one evaluation changed: flags raised and flags cleared. */
    record Changes(List<Guard.Found> raised, List<KpiFlag> cleared) {
        static final Changes NONE = new Changes(List.of(), List.of());

        boolean isEmpty() {
            return raised.isEmpty() && cleared.isEmpty();
        }
    }

    /** Every KPI's hourly total figures (not its series') in [from, to], merged across nodes: domain to KPI to hour to figures. */
    Map<String, Map<String, SortedMap<Long, CognitionDao.Figures>>> series(Handle h, long from, long to) {
        Map<String, Map<String, SortedMap<Long, CognitionDao.Figures>>> out = new HashMap<>();
        h.createQuery("SELECT domain, kpi, period_start, SUM(count), SUM(sum), SUM(sum_of_squares), MIN(min), MAX(max)"
                        + " FROM metrics_rollups WHERE period = 'hour' AND series = '' AND period_start >= :from"
                        + " AND period_start <= :to"
                        + " GROUP BY domain, kpi, period_start")
                .bind("from", from).bind("to", to)
                .map((rs, ctx) -> {
                    out.computeIfAbsent(rs.getString(1), d -> new HashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new TreeMap<>())
                            .put(rs.getLong(3), new CognitionDao.Figures(rs.getLong(4), rs.getDouble(5),
                                    rs.getDouble(6), rs.getDouble(7), rs.getDouble(8)));
                    return null;
                }).list();
        return out;
    }

    /** The flags that are active (not cleared), by domain then KPI. */
    List<KpiFlag> active(Handle h) {
        return h.createQuery("SELECT domain, kpi, flag, detail, raised_hour FROM kpi_flags WHERE cleared_hour IS NULL"
                        + " ORDER BY domain, kpi, flag")
                .map((rs, ctx) -> new KpiFlag(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5))))
                .list();
    }

    /** A flag's detail as stored and as an event's message holds it: at most 512 characters. */
    static String detail(Guard.Found f) {
        return f.detail().length() > 512 ? f.detail().substring(0, 509) + "..." : f.detail();
    }

    /**
     * How the flags found when evaluating an hour differ from the active ones: those raised (found,
     * not active) and those cleared (active, no longer found). Reads only.
     */
    Changes compare(Handle h, List<Guard.Found> found) {
        Map<String, KpiFlag> active = new LinkedHashMap<>();
        for (KpiFlag f : active(h)) {
            active.put(f.domain() + "/" + f.kpi() + "/" + f.flag(), f);
        }
        List<Guard.Found> raised = new ArrayList<>();
        for (Guard.Found f : found) {
            if (active.remove(f.key()) == null) {
                raised.add(f);
            }
        }
        return new Changes(List.copyOf(raised), List.copyOf(active.values()));
    }

    /**
     * Makes the active flags those found when evaluating {@code hour}, in the caller's transaction:
     * a raised one is inserted, one still found gets the latest detail, a cleared one is closed.
     *
     * @param changes {@link #compare} of {@code found}, in the same transaction
     */
    void apply(Handle h, long hour, List<Guard.Found> found, Changes changes) {
        Set<String> raised = new HashSet<>();
        changes.raised().forEach(f -> raised.add(f.key()));
        for (Guard.Found f : found) {
            String detail = detail(f);
            if (!raised.contains(f.key())) {
                h.createUpdate("UPDATE kpi_flags SET detail = :detail, checked_hour = :hour WHERE domain = :d"
                                + " AND kpi = :k AND flag = :f AND cleared_hour IS NULL")
                        .bind("detail", detail).bind("hour", hour).bind("d", f.domain()).bind("k", f.kpi())
                        .bind("f", f.flag()).execute();
            } else {
                h.createUpdate("INSERT INTO kpi_flags (domain, kpi, flag, detail, raised_hour, checked_hour)"
                                + " VALUES (:d, :k, :f, :detail, :hour, :hour)")
                        .bind("detail", detail).bind("hour", hour).bind("d", f.domain()).bind("k", f.kpi())
                        .bind("f", f.flag()).execute();
            }
        }
        for (KpiFlag f : changes.cleared()) {
            h.createUpdate("UPDATE kpi_flags SET cleared_hour = :hour, checked_hour = :hour WHERE domain = :d"
                            + " AND kpi = :k AND flag = :f AND cleared_hour IS NULL")
                    .bind("hour", hour).bind("d", f.domain()).bind("k", f.kpi()).bind("f", f.flag()).execute();
        }
    }
}
