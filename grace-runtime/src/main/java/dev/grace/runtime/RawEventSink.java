package dev.grace.runtime;

import java.util.List;

/**
 * Receives accepted values, in batches, on the runtime's raw-event thread (never on a plugin's).
 * The store persists them; the testkit keeps them in memory. A sink that throws loses that batch,
 * which is counted as dropped raw events; the rollups are not affected.
 */
@FunctionalInterface
public interface RawEventSink {

    /** Takes a batch; the list is not reused by the caller. */
    void accept(List<RawEvent> batch) throws Exception;

    /**
     * The runtime is closing: from now on, a sink that waits on something unavailable (a database
     * that stays down) gives up within a bounded time, so closing does not hang. Called before the
     * last batches are delivered.
     */
    default void closing() {
    }
}
