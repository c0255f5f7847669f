package dev.grace.store.internal;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.extension.HourStates;
import dev.grace.runtime.store.Period;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hours of rollup state the {@link StoreWriter} holds until they are written: what changed since
 * the last look, at most {@code maxUnsentHours} distinct hours, and each hour's <i>base</i> (the row a
 * previous incarnation of this node left). Used by the {@code grace-store-writer} thread, then (after it
 * stopped) by {@link StoreWriter#close()}; never by two threads at once.
 *
 * <p>After a failed or uncertain commit, every hour held in memory is written again, not only those
 * that changed: what the database acknowledged before the failure is not taken on trust.
 */
final class PendingRollups {

    /** StoreWriter's logger, so that a logging configuration written for the store writer keeps working. */
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    private final Database db;
    private final String node;
    private final int maxUnsentHours;
    private final HourStates registry;
    private final RollupDao rollups;
    private final Map<String, Long> known = new HashMap<>();
    private final Map<String, HourlyRollup> pending = new LinkedHashMap<>();
    private final Map<String, Optional<HourlyRollup>> bases = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    /** Whether the last write failed, so the next collect re-sends every hour held. */
    private boolean resend;
    /** Keys held only to be re-sent after a failure: written once, unchanged since. */
    private final Set<String> resendOnly = new HashSet<>();
    /** Keys of hours dropped for the bound, so a re-send does not bring them back. */
    private final Set<String> droppedKeys = new HashSet<>();

    PendingRollups(Database db, String node, GraceConfig.Store config, HourStates registry) {
        this.db = db;
        this.node = node;
        this.maxUnsentHours = config.maxUnsentHours();
        this.registry = registry;
        this.rollups = new RollupDao(db.vendor());
    }

    /**
     * Takes every hour changed since the last look, and after a failed write every other hour held in
     * memory too (not counted against the bound: they were written once); beyond {@code maxUnsentHours}
     * changed hours, drops the oldest.
     */
    void collect() {
        for (HourlyRollup r : registry.changedSince(known)) {
            String key = key(r.domain(), r.kpi(), r.hourStart().toEpochMilli());
            known.put(key, r.count());
            pending.put(key, r);
            resendOnly.remove(key);
            droppedKeys.remove(key);
        }
        if (resend) {
            resend = false;
            for (HourlyRollup r : registry.changedSince(new HashMap<>())) {
                String key = key(r.domain(), r.kpi(), r.hourStart().toEpochMilli());
                if (!pending.containsKey(key) && !droppedKeys.contains(key)) {
                    pending.put(key, r);
                    resendOnly.add(key);
                }
            }
        }
        TreeSet<Long> hours = new TreeSet<>();
        pending.forEach((key, r) -> {
            if (!resendOnly.contains(key)) {
                hours.add(r.hourStart().toEpochMilli());
            }
        });
        while (hours.size() > maxUnsentHours) {
            long oldest = hours.pollFirst();
            pending.entrySet().removeIf(e -> {
                if (e.getValue().hourStart().toEpochMilli() != oldest) {
                    return false;
                }
                droppedKeys.add(e.getKey());
                resendOnly.remove(e.getKey());
                return true;
            });
            dropped.incrementAndGet();
            LOG.error("store unreachable for too long: dropped the unsent rollups of hour {} (store.maxUnsentHours={})",
                    Instant.ofEpochMilli(oldest), maxUnsentHours);
        }
        droppedKeys.retainAll(known.keySet());
    }

    /** A write to the database failed elsewhere: trust no earlier commit, re-send every hour held at the next write. */
    void resendAll() {
        resend = true;
    }

    /** Whether no hour is held. */
    boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * Writes every hour held, with its day and week, and forgets them.
     *
     * @throws RuntimeException when the database fails; what was held stays held
     */
    void write(long now) {
        try {
            write(new ArrayList<>(pending.values()), now);
        } catch (RuntimeException e) {
            // The commit failed or its outcome is unknown, and a database that fails may also have lost
            // commits it had acknowledged (H2 loses what MVStore had not saved when its file channel
            // fails; a connection that died mid-commit tells nothing). So trust no earlier write: the
            // next collect takes every hour held in memory again, and the retry re-sends their whole
            // state (upserts of whole state are idempotent). Hours dropped for the bound stay dropped.
            resend = true;
            throw e;
        }
        pending.clear();
        resendOnly.clear();
        // Bases matter only for hours this incarnation may still write: those held in memory.
        bases.keySet().retainAll(known.keySet());
    }

    /** One transaction: the hours' rows (base ⊕ state), then their days and weeks merged from stored rows. */
    private void write(List<HourlyRollup> held, long now) {
        db.jdbi().useTransaction(h -> {
            List<HourlyRollup> rows = new ArrayList<>(held.size());
            for (HourlyRollup r : held) {
                String key = key(r.domain(), r.kpi(), r.hourStart().toEpochMilli());
                Optional<HourlyRollup> base = bases.get(key);
                if (base == null) {
                    base = rollups.own(h, node, r.domain(), r.kpi(), Period.HOUR, r.hourStart().toEpochMilli());
                    bases.put(key, base);
                }
                rows.add(base.map(b -> b.merge(r)).orElse(r));
            }
            rollups.upsertHours(h, node, rows, now);
        });
    }

    /** Distinct hours held. */
    int hours() {
        return (int) pending.values().stream().mapToLong(r -> r.hourStart().toEpochMilli()).distinct().count();
    }

    /** Hours of rollup state dropped because more than {@code maxUnsentHours} were waiting. */
    long dropped() {
        return dropped.get();
    }

    private static String key(String domain, String kpi, long start) {
        return domain + '/' + kpi + '/' + start;
    }
}
