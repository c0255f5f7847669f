package dev.grace.store.internal;

import dev.grace.runtime.internal.publish.RawEventColumns;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Raw events into PostgreSQL with {@code COPY ... FROM STDIN (FORMAT binary)} through pgjdbc's
 * {@code CopyManager}: one round trip streams the whole part, with no statement per row and no
 * parameter binding. Loaded only when the store's vendor is PostgreSQL ({@link RawEventInsert#forVendor}):
 * it links against the PostgreSQL driver, which hosts on H2 do not have.
 *
 * <p>The COPY runs on the handle's connection inside the writer's transaction, together with the
 * batch sequence ({@code raw_event_batches}, recorded after the rows and committed with it in one round
 * trip: {@link #ADVANCE_AND_COMMIT}), so exactly-once is as with the insert. A row PostgreSQL
 * refuses (a value too long, a NUL in a string) fails the whole COPY with its SQLSTATE (class 22), and
 * the writer splits the part as it does for the insert.
 */
final class PostgresCopy implements RawEventInsert {

    static final String SQL = "COPY metric_events (node, domain, kpi, series, event_value, event_time, metadata)"
            + " FROM STDIN (FORMAT binary)";
    /**
     * The batch's sequence and the commit, after the COPY, in one round trip: the sequence is inserted
     * or advanced, and when this node has {@code seq} or a later one stored already, {@code last_seq}
     * would become NULL, which its NOT NULL refuses (23502) before the COMMIT runs, so the transaction
     * rolls back with the rows. The batch insert's order (sequence first, then the rows) costs a round
     * trip more, and each round trip waits for the server to be scheduled on a loaded machine.
     */
    static final String ADVANCE_AND_COMMIT = "INSERT INTO raw_event_batches (node, last_seq) VALUES (?, ?)"
            + " ON CONFLICT (node) DO UPDATE SET last_seq = CASE WHEN raw_event_batches.last_seq < EXCLUDED.last_seq"
            + " THEN EXCLUDED.last_seq END; COMMIT";
    private static final String NOT_NULL_VIOLATION = "23502";
    /** Bytes encoded before they are sent: large enough to keep round trips few, small enough to stay in cache. */
    private static final int CHUNK = 1 << 16;

    private final CopyBinaryRows rows = new CopyBinaryRows();
    private final MetadataJson json = new MetadataJson();

    static PostgresCopy create() {
        return new PostgresCopy();
    }

    @Override
    public boolean write(Handle h, RawEventBatchDao batches, String node, long seq, RawEventColumns batch, int from,
                         int to) {
        insert(h, node, batch, from, to);
        try (PreparedStatement ps = h.getConnection().prepareStatement(ADVANCE_AND_COMMIT)) {
            ps.setString(1, node);
            ps.setLong(2, seq);
            ps.execute();
            return true;
        } catch (SQLException e) {
            if (NOT_NULL_VIOLATION.equals(e.getSQLState())) {
                h.rollback(); // stored before: by the first attempt of this retry, or by another runtime as this node
                return false;
            }
            throw new IllegalStateException("recording raw-event batch " + seq + " failed", e);
        }
    }

    @Override
    public void insert(Handle h, String node, RawEventColumns batch, int from, int to) {
        CopyIn copy = null;
        try {
            // through HikariCP's proxy to the driver's connection
            copy = h.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(SQL);
            rows.start();
            for (int i = from; i < to; i++) {
                rows.row(node, batch.domain(i), batch.kpi(i), batch.series(i), batch.value(i), batch.epochMillis(i),
                        json.of(batch.metadata(i)));
                if (rows.size() >= CHUNK) {
                    copy.writeToCopy(rows.bytes(), 0, rows.size());
                    rows.clear();
                }
            }
            rows.end();
            copy.writeToCopy(rows.bytes(), 0, rows.size());
            rows.clear();
            copy.endCopy();
        } catch (SQLException e) {
            throw new IllegalStateException("copying " + (to - from) + " raw events failed", e);
        } finally {
            rows.clear();
            if (copy != null && copy.isActive()) {
                try {
                    copy.cancelCopy(); // failed half way: leave the connection usable for the rollback
                } catch (SQLException ignored) {
                    // the connection is broken; the writer evicts it and retries
                }
            }
        }
    }
}
