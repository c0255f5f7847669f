package dev.grace.runtime.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grace.runtime.RawEvent;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.List;

/** {@code metric_events}: raw events as published, written in batches, purged by age. */
final class MetricEventDao {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Positional parameters: on the raw-event path, binding by name costs a map per row. */
    private static final String INSERT = "INSERT INTO metric_events (node, domain, kpi, event_value, event_time, metadata)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    private static final long HOUR_MILLIS = 3_600_000L;

    /** Counts and sums of one node's raw events in one hour, as {@code grace verify} recomputes them. */
    record HourFigures(String node, String domain, String kpi, long hourStart, long count, double sum, double min,
                       double max, double sumOfSquares) {
    }

    void insert(Handle h, String node, List<RawEvent> events) {
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (RawEvent e : events) {
            batch.bind(0, node).bind(1, e.domain()).bind(2, e.kpi()).bind(3, e.value()).bind(4, e.epochMillis())
                    .bind(5, json(e)).add();
        }
        batch.execute();
    }

    private static String json(RawEvent e) {
        if (e.metadata().isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(e.metadata());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a map of strings always serializes", ex);
        }
    }

    long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM metric_events").mapTo(Long.class).one();
    }

    /** Per node, KPI and hour, the figures of raw events at or after {@code from}. */
    List<HourFigures> hourFigures(Handle h, long from) {
        return h.createQuery("SELECT node, domain, kpi, hour_start, COUNT(*) AS n, SUM(v) AS s, MIN(v) AS lo,"
                        + " MAX(v) AS hi, SUM(v * v) AS sq FROM (SELECT node, domain, kpi, event_value AS v,"
                        + " event_time - MOD(event_time, :hour) AS hour_start FROM metric_events"
                        + " WHERE event_time >= :from) e GROUP BY node, domain, kpi, hour_start")
                .bind("hour", HOUR_MILLIS).bind("from", from)
                .map((rs, ctx) -> new HourFigures(rs.getString("node"), rs.getString("domain"), rs.getString("kpi"),
                        rs.getLong("hour_start"), rs.getLong("n"), rs.getDouble("s"), rs.getDouble("lo"),
                        rs.getDouble("hi"), rs.getDouble("sq")))
                .list();
    }

    /** Deletes up to {@code limit} events older than {@code before}; returns how many. */
    int purgeBatch(Handle h, long before, int limit) {
        return h.createUpdate("DELETE FROM metric_events WHERE id IN (SELECT id FROM metric_events"
                        + " WHERE event_time < :before ORDER BY id LIMIT :limit)")
                .bind("before", before).bind("limit", limit).execute();
    }
}
