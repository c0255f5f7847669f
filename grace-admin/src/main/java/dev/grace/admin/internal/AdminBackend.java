package dev.grace.admin.internal;

import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.Rollups;
import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.store.RollupQuery;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import dev.grace.runtime.extension.DomainPublishing;
import java.util.Optional;

/** What the admin server reads of the runtime; every method is cheap and safe from any thread. */
public interface AdminBackend {

    /** Whether the runtime has started and is not closing. */
    boolean running();

    Clock clock();

    /** Where reports are written ({@code <dataDir>/reports}). */
    Path dataDir();

    List<PluginStatus> plugins();

    /** Accepted, rejected and dropped values per publisher: plugins and the HTTP domain publishers. */
    PublishStats stats();

    /** The hours held in memory. */
    Rollups memory();

    /** The store's reader; null when the store is off or not open. */
    RollupQuery store();

    /**
     * The store's state, checked now (a connection round trip when the store is on). Called by the
     * admin server's own checking thread once a second, never by a request thread.
     */
    StoreHealth storeHealth();

    /** Cognition's read side, when the runtime has one. */
    Optional<CognitionReader> cognition();

    /** The publishers for values posted over HTTP; null when this runtime takes none. */
    DomainPublishing publishers();

    /**
     * The store as {@code /health} reports it.
     *
     * @param enabled   whether the runtime persists at all
     * @param reachable whether a connection answered just now (false when off)
     * @param location  the database URL and node, null when off
     * @param stuckSince when the writer began failing the write it is still retrying (raw events or
     *                   rollups), null while writes succeed; a ready check should fail while set
     * @param rawEventsRefused raw events the database refused for what they hold (too long, a bad
     *                   character), each dropped while the rows around it were written
     * @param rollupValuesLost accepted values missing from the stored rollups: hours neither written
     *                   nor taken by the journal
     * @param journalBytes bytes the store's journal holds, waiting for the database
     */
    record StoreHealth(boolean enabled, boolean reachable, String location, java.time.Instant stuckSince,
                       long rawEventsRefused, long rollupValuesLost, long journalBytes) {
        public static final StoreHealth OFF = new StoreHealth(false, false, null);

        public StoreHealth(boolean enabled, boolean reachable, String location) {
            this(enabled, reachable, location, null, 0);
        }

        public StoreHealth(boolean enabled, boolean reachable, String location, java.time.Instant stuckSince,
                           long rawEventsRefused) {
            this(enabled, reachable, location, stuckSince, rawEventsRefused, 0, 0);
        }

        /** The same counters, another answer (a check that has not returned). */
        StoreHealth unanswered(String where) {
            return new StoreHealth(enabled, false, where, stuckSince, rawEventsRefused, rollupValuesLost, journalBytes);
        }
    }
}
