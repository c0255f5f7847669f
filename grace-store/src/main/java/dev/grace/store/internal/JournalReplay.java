package dev.grace.store.internal;

import dev.grace.runtime.RawEvent;
import dev.grace.runtime.internal.publish.RawEventColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes what the {@link Journal} holds into the database, record by record in journal order, each in
 * one transaction with the journal's applied-record number ({@code raw_event_batches} under
 * {@link Journal#appliedKey}): a record at or below it was committed before and is skipped, so
 * replaying a file twice (after a failure, after a crash) writes nothing twice. A raw-event record
 * also advances the node's raw-event batch sequence like any batch; one whose first write tried a
 * sequence that is stored was committed by that write and is not written again. Runs on the store
 * writer's thread (or, at start, before it runs).
 */
final class JournalReplay implements Journal.Applier {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /** Hour records written per transaction. */
    private static final int HOURS_PER_TRANSACTION = 500;
    /** Raw events written per transaction, as many records as fit: one transaction per record is slow on PostgreSQL. */
    private static final int RAW_EVENTS_PER_TRANSACTION = 4096;

    private final Database db;
    private final String node;
    private final String appliedKey;
    private final PendingRollups pending;
    private final RawEventWriter rawEvents;
    private final Clock clock;
    private final RawEventBatchDao batches = new RawEventBatchDao();
    /**
     * The insert the raw-event writer uses (COPY on PostgreSQL, the batch insert on H2), an instance of
     * its own: the replay runs on the store writer's thread, and an encoder reuses its buffer.
     */
    private final RawEventInsert events;
    private final AtomicLong rawReplayed = new AtomicLong();
    private final AtomicLong hoursReplayed = new AtomicLong();
    private final AtomicLong auditReplayed = new AtomicLong();
    private final AuditLogDao audit = new AuditLogDao();
    /** The last record applied, as last read or written; -1 until read. */
    private long applied = -1;

    JournalReplay(Database db, String node, PendingRollups pending, RawEventWriter rawEvents, Clock clock) {
        this.db = db;
        this.node = node;
        this.appliedKey = Journal.appliedKey(node);
        this.pending = pending;
        this.rawEvents = rawEvents;
        this.clock = clock;
        this.events = RawEventInsert.forVendor(db.vendor(), new MetricEventDao());
    }

    /** The last journal record the database holds as applied for {@code node}, creating its row. */
    static long appliedUpTo(Database db, String node) {
        return db.jdbi().inTransaction(h -> new RawEventBatchDao().lastOrCreate(h, Journal.appliedKey(node)));
    }

    @Override
    public void apply(List<Object> records) {
        if (applied < 0) {
            applied = appliedUpTo(db, node);
        }
        List<Journal.HourRecord> hours = new ArrayList<>();
        List<Journal.RawRecord> raws = new ArrayList<>();
        int grouped = 0;
        boolean raw = false;
        for (Object r : records) {
            if (r instanceof Journal.RawRecord rr && rr.record() > applied) {
                writeHours(hours);
                if (rr.seq() != 0 || grouped + rr.events().size() > RAW_EVENTS_PER_TRANSACTION) {
                    writeRaw(raws);
                    grouped = 0;
                }
                raws.add(rr);
                grouped += rr.events().size();
                if (rr.seq() != 0) {
                    writeRaw(raws); // alone: its sequence is the one its first write tried
                    grouped = 0;
                }
                raw = true;
            } else if (r instanceof Journal.AuditRecord ar && ar.record() > applied) {
                writeRaw(raws);
                grouped = 0;
                writeHours(hours);
                writeAudit(ar);
            } else if (r instanceof Journal.HourRecord hr && hr.record() > applied) {
                writeRaw(raws);
                grouped = 0;
                hours.add(hr);
                if (hours.size() == HOURS_PER_TRANSACTION) {
                    writeHours(hours);
                }
            }
        }
        writeRaw(raws);
        writeHours(hours);
        if (raw) {
            rawEvents.journalReplayed();
        }
    }

    private void writeHours(List<Journal.HourRecord> hours) {
        if (hours.isEmpty()) {
            return;
        }
        long last = hours.get(hours.size() - 1).record();
        long now = clock.millis();
        try {
            db.jdbi().useTransaction(h -> {
                if (batches.advance(h, appliedKey, last)) {
                    pending.applyJournaled(h, hours, now);
                }
            });
        } catch (RuntimeException e) {
            db.evictConnections();
            applied = -1; // read again: the commit may have happened
            throw e;
        }
        applied = last;
        hoursReplayed.addAndGet(hours.size());
        hours.clear();
    }

    /**
     * Appends an audit fact a stop journaled to the audit log's chain (on the last row as it is now, so
     * the chain holds), in one transaction with the record marked applied: exactly once.
     */
    private void writeAudit(Journal.AuditRecord ar) {
        try {
            audit.appendRetrying(db.jdbi(), h -> batches.advance(h, appliedKey, ar.record()), ar.occurredAt(), node,
                    ar.kind(), ar.detail());
        } catch (RuntimeException e) {
            db.evictConnections();
            applied = -1;
            throw e;
        }
        applied = ar.record();
        auditReplayed.incrementAndGet();
    }

    /**
     * Writes consecutive raw-event records in one transaction, as one raw-event batch, with the last
     * one's number as applied; a record that names the sequence its first write tried comes alone.
     */
    private void writeRaw(List<Journal.RawRecord> group) {
        if (group.isEmpty()) {
            return;
        }
        Journal.RawRecord first = group.get(0);
        Journal.RawRecord lastRecord = group.get(group.size() - 1);
        List<RawEvent> all = new ArrayList<>();
        group.forEach(r -> all.addAll(r.events()));
        try {
            db.jdbi().useTransaction(h -> {
                if (!batches.advance(h, appliedKey, lastRecord.record())) {
                    return;
                }
                long last = batches.lastOrCreate(h, node);
                if (first.seq() != 0 && first.seq() <= last) {
                    return; // its first write committed, then reported a failure
                }
                batches.advance(h, node, first.seq() != 0 ? first.seq() : last + 1);
                events.insert(h, node, RawEventColumns.of(all), 0, all.size());
            });
        } catch (RuntimeException e) {
            if (!Database.refusesData(e)) {
                db.evictConnections();
                applied = -1;
                throw e;
            }
            for (Journal.RawRecord rr : group) {
                if (group.size() == 1) {
                    writeOneByOne(rr);
                } else {
                    writeRaw(new ArrayList<>(List.of(rr)));
                }
            }
            group.clear();
            return;
        }
        applied = lastRecord.record();
        rawReplayed.addAndGet(all.size());
        group.clear();
    }

    /**
     * A record holding a row the database refuses for what it holds: each row in its own transaction,
     * the refused ones counted as the raw-event writer counts them, then the record marked applied.
     * (Only here can a crash between two of these transactions write a row twice at the next replay.)
     */
    private void writeOneByOne(Journal.RawRecord rr) {
        for (RawEvent event : rr.events()) {
            try {
                db.jdbi().useTransaction(h -> {
                    long last = batches.lastOrCreate(h, node);
                    batches.advance(h, node, last + 1);
                    events.insert(h, node, RawEventColumns.of(List.of(event)), 0, 1);
                });
            } catch (RuntimeException e) {
                if (!Database.refusesData(e)) {
                    db.evictConnections();
                    applied = -1;
                    throw e;
                }
                rawEvents.refuse(event, e);
            }
        }
        db.jdbi().useTransaction(h -> batches.advance(h, appliedKey, rr.record()));
        applied = rr.record();
        rawReplayed.addAndGet(rr.events().size());
        LOG.debug("journal record {} held a refused row; written row by row", rr.record());
    }

    /** Raw events written from the journal so far. */
    long rawReplayed() {
        return rawReplayed.get();
    }

    /** Audit facts written from the journal so far. */
    long auditReplayed() {
        return auditReplayed.get();
    }

    /** Hour states written from the journal so far. */
    long hoursReplayed() {
        return hoursReplayed.get();
    }
}
