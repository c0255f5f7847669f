package dev.grace.store.internal;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.extension.HourStates;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.store.Period;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
    /** Per key, the count of this incarnation's state last committed: what a dropped hour still has stored. */
    private final Map<String, Long> written = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    /** Whether the last write failed, so the next collect re-sends every hour held. */
    private boolean resend;
    /** Keys held only to be re-sent after a failure: written once, unchanged since. */
    private final Set<String> resendOnly = new HashSet<>();
    /** Keys of hours dropped for the bound, so a re-send does not bring them back. */
    private final Set<String> droppedKeys = new HashSet<>();
    private final AtomicLong droppedValues = new AtomicLong();
    /** Where hours go instead of being dropped; null without a journal. */
    private final Journal journal;
    /** Tells this incarnation's journaled hours from those an earlier one left. */
    private final long incarnation;
    /** Bases read while replaying hours journaled without one, by incarnation and key. */
    private final Map<String, Optional<HourlyRollup>> replayBases = new HashMap<>();

    PendingRollups(Database db, String node, GraceConfig.Store config, HourStates registry) {
        this(db, node, config, registry, null, 0);
    }

    PendingRollups(Database db, String node, GraceConfig.Store config, HourStates registry, Journal journal,
                   long incarnation) {
        this.journal = journal;
        this.incarnation = incarnation;
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
            String key = HourStates.key(r); // a total and each of its series are rows of their own
            known.put(key, r.count());
            pending.put(key, r);
            resendOnly.remove(key);
            droppedKeys.remove(key);
        }
        if (resend) {
            resend = false;
            for (HourlyRollup r : registry.changedSince(new HashMap<>())) {
                String key = HourStates.key(r);
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
            List<HourlyRollup> hour = new ArrayList<>();
            pending.entrySet().removeIf(e -> {
                if (e.getValue().hourStart().toEpochMilli() != oldest) {
                    return false;
                }
                hour.add(e.getValue());
                droppedKeys.add(e.getKey()); // journaled or dropped: a re-send does not bring it back
                resendOnly.remove(e.getKey());
                return true;
            });
            long lost = journal(hour);
            if (lost > 0) {
                LOG.error("store unreachable for too long: dropped the unsent rollups of hour {} ({} values;"
                        + " store.maxUnsentHours={}{})", Instant.ofEpochMilli(oldest), lost, maxUnsentHours,
                        journal == null ? "" : ", the journal is full");
            }
        }
        droppedKeys.retainAll(known.keySet());
    }

    /** A write to the database failed elsewhere: trust no earlier commit, re-send every hour held at the next write. */
    void resendAll() {
        resend = true;
    }

    /**
     * Appends every hour held to the journal and forgets them (closing while the database does not
     * answer); what the journal's bound refuses is dropped and counted.
     *
     * @return the values dropped
     */
    long journalAll() {
        long lost = journal(new ArrayList<>(pending.values()));
        pending.clear();
        return lost;
    }

    /** Appends hour states to the journal; returns the values of those it refused (or all, without one), counted. */
    private long journal(List<HourlyRollup> held) {
        long lost = 0;
        Set<Long> droppedHours = new LinkedHashSet<>();
        for (HourlyRollup r : held) {
            Optional<HourlyRollup> base = bases.get(HourStates.key(r));
            HourlyRollup known = base == null ? null : base.orElse(null);
            if (base != null && known == null) {
                // read, and no row: the base is empty, which the replay must not read again
                known = HourlyRollup.of(r.domain(), r.kpi(), r.series(), r.hourStart().toEpochMilli(), 0, 0,
                        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, Sketches.newSketch());
            }
            if (journal == null || !journal.appendHour(incarnation, r, known)) {
                // what an earlier write of this state committed is stored; the rest is lost
                if (r.isTotal()) {
                    // a series' values are in its total: counted once, with the total they belong to
                    lost += r.count() - written.getOrDefault(HourStates.key(r), 0L);
                }
                droppedHours.add(r.hourStart().toEpochMilli());
            }
        }
        dropped.addAndGet(droppedHours.size());
        droppedValues.addAndGet(lost);
        return lost;
    }

    /**
     * Writes hours replayed from the journal, in one transaction with their days and weeks: each row is
     * its base ⊕ the journaled state; a state journaled without a base takes the row stored now as its base
     * (read once per incarnation and key). Hours of this incarnation remember that base, so that later
     * writes of the same hour from memory add to it, not to the replayed row.
     */
    void applyJournaled(Handle h, List<Journal.HourRecord> records, long now) {
        List<HourlyRollup> rows = new ArrayList<>(records.size());
        for (Journal.HourRecord rec : records) {
            HourlyRollup r = rec.state();
            String key = HourStates.key(r);
            HourlyRollup base = rec.base();
            if (base == null) {
                Optional<HourlyRollup> own = rec.incarnation() == incarnation ? bases.get(key) : null;
                if (own == null) {
                    own = replayBases.get(rec.incarnation() + "/" + key);
                }
                if (own == null) {
                    own = rollups.own(h, node, r.domain(), r.kpi(), r.series(), Period.HOUR,
                            r.hourStart().toEpochMilli());
                    replayBases.put(rec.incarnation() + "/" + key, own);
                }
                if (rec.incarnation() == incarnation) {
                    bases.put(key, own);
                }
                base = own.orElse(null);
            }
            rows.add(base == null || base.count() == 0 ? r : base.merge(r));
        }
        writeRows(h, rows, now);
        for (Journal.HourRecord rec : records) {
            if (rec.incarnation() == incarnation) {
                HourlyRollup r = rec.state();
                written.merge(HourStates.key(r), r.count(), Math::max);
            }
        }
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
        for (HourlyRollup r : pending.values()) {
            written.put(HourStates.key(r), r.count());
        }
        pending.clear();
        resendOnly.clear();
        // Bases matter only for hours this incarnation may still write: those held in memory.
        bases.keySet().retainAll(known.keySet());
        written.keySet().retainAll(known.keySet());
    }

    /** One transaction: the hours' rows (base ⊕ state), then their days and weeks merged from stored rows. */
    private void write(List<HourlyRollup> held, long now) {
        db.jdbi().useTransaction(h -> {
            readBases(h, held);
            List<HourlyRollup> rows = new ArrayList<>(held.size());
            for (HourlyRollup r : held) {
                rows.add(bases.get(HourStates.key(r)).map(b -> b.merge(r)).orElse(r));
            }
            writeRows(h, rows, now);
        });
    }

    /**
     * Reads the base of every hour held that has none yet: one query per hour, which brings this node's
     * rows of that hour, every KPI's total and series.
     */
    private void readBases(Handle h, List<HourlyRollup> held) {
        Map<Long, List<HourlyRollup>> unread = new TreeMap<>();
        for (HourlyRollup r : held) {
            if (!bases.containsKey(HourStates.key(r))) {
                unread.computeIfAbsent(r.hourStart().toEpochMilli(), k -> new ArrayList<>()).add(r);
            }
        }
        unread.forEach((hour, rows) -> {
            Map<String, HourlyRollup> stored = new HashMap<>();
            for (HourlyRollup row : rollups.ownHours(h, node, hour)) {
                stored.put(HourStates.key(row), row);
            }
            for (HourlyRollup r : rows) {
                bases.put(HourStates.key(r), Optional.ofNullable(stored.get(HourStates.key(r))));
            }
        });
    }

    /** The hours' rows as given, then their days and weeks merged from this node's stored rows. */
    private void writeRows(Handle h, List<HourlyRollup> rows, long now) {
        rollups.upsertHours(h, node, rows, now);
    }

    /** Distinct hours held. */
    int hours() {
        return (int) pending.values().stream().mapToLong(r -> r.hourStart().toEpochMilli()).distinct().count();
    }

    /** Hours of rollup state dropped: beyond {@code maxUnsentHours} without room in a journal, or at close. */
    long dropped() {
        return dropped.get();
    }

    /** The values those dropped hours held (what a reader of the rollups misses). */
    long droppedValues() {
        return droppedValues.get();
    }
}
