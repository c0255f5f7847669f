package dev.grace.store.internal;

import org.jdbi.v3.core.Handle;

import java.util.Optional;

/**
 * {@code raw_event_batches}: per node, the sequence of the last raw-event batch committed, written in
 * the batch's own transaction so that a retried batch can tell whether it was already stored.
 */
final class RawEventBatchDao {

    /** The node's last committed sequence; 0, and a row to advance, when it never wrote a batch. */
    long lastOrCreate(Handle h, String node) {
        Optional<Long> last = last(h, node);
        if (last.isPresent()) {
            return last.get();
        }
        h.createUpdate("INSERT INTO raw_event_batches (node, last_seq) VALUES (:node, 0)").bind("node", node).execute();
        return 0;
    }

    Optional<Long> last(Handle h, String node) {
        return h.createQuery("SELECT last_seq FROM raw_event_batches WHERE node = :node")
                .bind("node", node).mapTo(Long.class).findOne();
    }

    /**
     * Records {@code seq} as the node's last batch, unless a batch at or after it is recorded.
     *
     * @return false when {@code seq} (or a later one) is already recorded: nothing was changed
     */
    boolean advance(Handle h, String node, long seq) {
        return h.createUpdate("UPDATE raw_event_batches SET last_seq = :seq WHERE node = :node AND last_seq < :seq")
                .bind("seq", seq).bind("node", node).execute() == 1;
    }
}
