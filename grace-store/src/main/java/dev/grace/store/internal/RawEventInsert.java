package dev.grace.store.internal;

import dev.grace.runtime.internal.publish.RawEventColumns;
import org.jdbi.v3.core.Handle;

/**
 * How rows {@code from .. to} of a raw-event batch go into {@code metric_events}, inside the caller's
 * transaction: a JDBC batch insert ({@link MetricEventDao#insert}) or, on PostgreSQL, {@code COPY}
 * ({@link PostgresCopy}). Either throws a runtime exception whose cause is the database's
 * {@link java.sql.SQLException}, so that {@link Database#refusesData} tells refused rows from an outage.
 */
@FunctionalInterface
interface RawEventInsert {

    void insert(Handle h, String node, RawEventColumns batch, int from, int to);

    /**
     * Writes rows {@code from .. to} as the node's raw-event batch {@code seq}: records the sequence
     * ({@code raw_event_batches}) and inserts the rows, in the caller's transaction, which this may
     * commit itself (PostgreSQL: the sequence and the commit go in one round trip).
     *
     * @return false when {@code seq} or a later sequence is stored already: nothing was written
     */
    default boolean write(Handle h, RawEventBatchDao batches, String node, long seq, RawEventColumns batch, int from,
                          int to) {
        if (!batches.advance(h, node, seq)) {
            return false;
        }
        insert(h, node, batch, from, to);
        return true;
    }

    /**
     * COPY on PostgreSQL, the batch insert otherwise. {@link PostgresCopy} is named only in this branch,
     * so a host on H2, which has no PostgreSQL driver, never loads it.
     */
    static RawEventInsert forVendor(Vendor vendor, MetricEventDao dao) {
        return vendor == Vendor.POSTGRESQL ? PostgresCopy.create() : dao::insert;
    }
}
