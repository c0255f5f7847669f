package dev.grace.runtime.extension;

import dev.grace.api.MaintenanceResult;
import dev.grace.runtime.store.RollupQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the store extension offers the runtime, plugins' runtime view and the admin server. The
 * runtime core knows no database: this is how it reaches one when a store is attached.
 */
public interface StoreService {

    /** Stored rollups, merged across every node that shares the database. */
    RollupQuery reader();

    /** The database URL and this runtime's node id, for people. */
    String location();

    /** Whether a connection answered a moment ago. Never waits on the database longer than a short bound. */
    boolean reachable();

    /**
     * Whether the store answered its last probe, from memory: never touches the database, so a
     * request thread or a plugin may ask as often as it likes. By default, whether writes succeed.
     */
    default boolean lastKnownUp() {
        return stuckSince().isEmpty();
    }

    /** Writes every rollup held in memory now and waits for that; false when it failed or took longer than {@code timeout}. */
    boolean flushNow(Duration timeout);

    /** How many times the store has written the hours held in memory. */
    long flushes();

    /** Publish-to-commit latency of raw events; null when raw events are not stored. */
    CommitLatency commitLatency();

    /**
     * Since when the write being retried (raw events or rollups) has been failing; empty while
     * writes succeed. A readiness check fails while it is set.
     */
    Optional<Instant> stuckSince();

    /** Raw events the database refused for what they hold (too long, a bad character), in total. */
    long rawEventsRefused();

    /** The same, per publisher id. */
    Map<String, Long> rawEventsRefusedByPublisher();

    /**
     * Accepted values missing from the stored rollups because the hours holding them could not be
     * written and did not fit in the journal (or there is none): beyond {@code store.maxUnsentHours},
     * or at a close the database did not answer. Read from memory.
     */
    default long rollupValuesLost() {
        return 0;
    }

    /** Bytes the store's journal holds, waiting for the database; read from memory. */
    default long journalBytes() {
        return 0;
    }

    /** Appends to the audit log; never throws. */
    void audit(String kind, String detail);

    /** Purges what is past retention; audited with {@code caller}; never throws. */
    MaintenanceResult purgeRetention(String caller);

    /** Recomputes one closed hour from its raw events and compares it with the stored rollups; never throws. */
    MaintenanceResult verifyHour(String caller, Instant hourStart);

    /** A backup of the database, where the database supports one from inside; never throws. */
    MaintenanceResult backup(String caller);
}
