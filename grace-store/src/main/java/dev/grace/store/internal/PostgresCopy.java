package dev.grace.store.internal;

import dev.grace.runtime.internal.publish.RawEventColumns;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.SQLException;

/**
 * Raw events into PostgreSQL with {@code COPY ... FROM STDIN (FORMAT binary)} through pgjdbc's
 * {@code CopyManager}: one round trip streams the whole part, with no statement per row and no
 * parameter binding. Loaded only when the store's vendor is PostgreSQL ({@link RawEventInsert#forVendor}):
 * it links against the PostgreSQL driver, which hosts on H2 do not have.
 *
 * <p>The COPY runs on the handle's connection inside the writer's transaction, together with the
 * batch sequence ({@code raw_event_batches}), so exactly-once is as with the insert. A row PostgreSQL
 * refuses (a value too long, a NUL in a string) fails the whole COPY with its SQLSTATE (class 22), and
 * the writer splits the part as it does for the insert.
 */
final class PostgresCopy implements RawEventInsert {

    static final String SQL = "COPY metric_events (node, domain, kpi, series, event_value, event_time, metadata)"
            + " FROM STDIN (FORMAT binary)";
    /** Bytes encoded before they are sent: large enough to keep round trips few, small enough to stay in cache. */
    private static final int CHUNK = 1 << 16;

    private final CopyBinaryRows rows = new CopyBinaryRows();
    private final MetadataJson json = new MetadataJson();

    static PostgresCopy create() {
        return new PostgresCopy();
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
