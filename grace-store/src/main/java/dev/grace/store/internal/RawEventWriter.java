package dev.grace.store.internal;

import dev.grace.runtime.RawEvent;
import dev.grace.runtime.RawEventsLost;
import dev.grace.runtime.extension.CommitLatency;
import dev.grace.runtime.internal.ConditionLog;
import dev.grace.runtime.internal.LogText;
import dev.grace.runtime.internal.publish.RawEventColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The raw-event thread's side of the {@link StoreWriter}: writes each batch of raw events the runtime
 * hands over, retrying a database that is down on that thread, splitting off rows the database refuses
 * and numbering batches so that a retry never stores a row twice. Kept apart from the rollup flush
 * because the two run on different threads and share nothing but the database, the node and the
 * failure count.
 *
 * <p>With a {@link Journal}, a batch the database does not take is appended to it instead of being
 * retried here, and so is every batch after it while the journal holds anything; the store writer's
 * thread replays the journal ({@link JournalReplay}). The raw-event thread then never waits on the
 * database, and the runtime's raw-event queue does not fill during an outage.
 */
final class RawEventWriter {

    /** StoreWriter's logger, so that a logging configuration written for the store writer keeps working. */
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    private final Database db;
    private final Recovery recovery;
    private final ConditionLog outage;
    private final String node;
    private final Clock clock;
    /** Shared with the rollup flush: the store counts failed writes as one figure. */
    private final AtomicLong failedWrites;
    /** COPY on PostgreSQL, a batch insert on H2. */
    private final RawEventInsert insert;
    private final RawEventBatchDao batches = new RawEventBatchDao();
    /**
     * This node's last stored raw-event batch; -1 until read. The raw-event thread uses it, except while
     * the journal holds raw events: then the replay writes batches, and forgets it ({@link #journalReplayed}).
     */
    private volatile long lastBatch = -1;
    /** Where batches go while the database does not take them; null without a journal. */
    private final Journal journal;
    private final AtomicLong committedBeforeFailure = new AtomicLong();
    /** When the raw-event batch being retried first failed; NOT_STUCK otherwise. Written by the raw-event thread. */
    private volatile long stuckSince = StoreWriter.NOT_STUCK;
    private volatile long closeDeadline = Long.MAX_VALUE;
    /** Whether a batch was given up at close; then the rest queued is too, without waiting on the database. */
    private volatile boolean gaveUp;
    private final AtomicLong refused = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> refusedByPlugin = new ConcurrentHashMap<>();
    /** The minute of the last refusal warning; raw-event thread only. */
    private long lastRefusalLogged = Long.MIN_VALUE;
    private final CommitLatency persistLatency = new CommitLatency();
    /**
     * The parts of the batch being written still to write, {@code parts[depth - 1]} next: a stack
     * reused from batch to batch (raw-event thread only). A batch is one part unless the database
     * refuses rows, and halving a part of n rows stacks at most log2(n) + 1.
     */
    private long[] parts = new long[64];
    private int depth;

    RawEventWriter(Database db, String node, Clock clock, AtomicLong failedWrites, Recovery recovery) {
        this(db, node, clock, failedWrites, recovery, null);
    }

    RawEventWriter(Database db, String node, Clock clock, AtomicLong failedWrites, Recovery recovery,
                   Journal journal) {
        this.journal = journal;
        this.recovery = recovery;
        this.outage = new ConditionLog(LOG, "writing raw events fails", clock);
        this.db = db;
        this.node = node;
        this.clock = clock;
        this.failedWrites = failedWrites;
        this.insert = RawEventInsert.forVendor(db.vendor(), new MetricEventDao());
    }

    /**
     * Writes a batch of raw events: with {@code COPY} on PostgreSQL ({@link PostgresCopy}), a JDBC batch
     * insert on H2, reading the rows by index so that no event object is needed. A failure of the database is retried with backoff, on this (the
     * raw-event) thread, until the rows are written or the deadline of {@link #giveUpAfter} passes. Rows
     * the database refuses for what they hold ({@link Database#refusesData}: too long, a bad character)
     * are split off by halving the failed part until each refused row stands alone; those are counted
     * ({@link #refused()}) and dropped, and every other row is written.
     *
     * <p>No row is written twice. Each part is committed in one transaction together with this node's
     * next batch sequence ({@code raw_event_batches}); a retry of a part whose commit was reported as
     * failed though it happened (H2 closing under the runtime does that) finds its sequence stored and
     * writes nothing.
     */
    void accept(RawEventColumns batch) {
        if (gaveUp && System.nanoTime() - closeDeadline > 0) {
            // closing, and an earlier batch was given up on a database that stayed down: waiting on it
            // again for each batch still queued would carry the stop past its bound
            throw new RawEventsLost(batch.size() + " raw events not written: the store database stayed down past"
                    + " the close bound", batch.events(0, batch.size()), null);
        }
        if (journal != null && journal.holding()) {
            // an outage is on: the rows become events (allocating, off the hot path) behind what the journal holds
            List<RawEvent> dropped = journal.appendRawIfHolding(batch.events(0, batch.size()));
            if (dropped != null) {
                lostIfAny(dropped, null);
                return; // behind what the journal holds, in order
            }
        }
        // parts still to write, each rows [from, to) of the batch packed into one long, the next on top
        depth = 0;
        if (batch.size() > 0) {
            push(part(0, batch.size()));
        }
        int attempt = 0;
        long seq = 0;          // the sequence of the part at the head of the queue, 0 until chosen
        boolean sent = false;  // whether a transaction with that sequence was sent (and may have committed)
        while (depth > 0) {
            long part = parts[depth - 1];
            int from = from(part);
            int to = to(part);
            try {
                if (lastBatch < 0) {
                    lastBatch = db.jdbi().inTransaction(h -> batches.lastOrCreate(h, node));
                }
                if (seq == 0) {
                    seq = lastBatch + 1;
                }
                long s = seq;
                boolean retry = sent;
                sent = true;
                boolean written = db.jdbi().inTransaction(h -> insert.write(h, batches, node, s, batch, from, to));
                if (!written && !retry) {
                    // Not a retry: a later sequence was stored by someone else writing raw events as this node.
                    long theirs = db.jdbi().withHandle(h -> batches.last(h, node)).orElse(0L);
                    LOG.error("raw events: node {} has batch {} stored, ahead of this runtime's {}: does another"
                            + " runtime run with node id {}? Continuing after it", node, theirs, s, node);
                    lastBatch = theirs;
                    seq = 0;
                    sent = false;
                    continue;
                }
                lastBatch = s;
                seq = 0;
                sent = false;
                depth--;
                attempt = 0;
                stuckSince = StoreWriter.NOT_STUCK;
                if (!written) {
                    committedBeforeFailure.incrementAndGet();
                    LOG.info("{} raw events were stored by an attempt reported as failed; not written again",
                            to - from);
                }
                long committed = clock.millis();
                long latency = 0;
                for (int i = from; i < to; i++) {
                    latency += Math.max(0, committed - batch.epochMillis(i));
                }
                persistLatency.add(to - from, latency);
                outage.cleared();
            } catch (RuntimeException e) {
                if (Database.refusesData(e)) {
                    // the transaction rolled back, its sequence with it: the halves reuse it
                    sent = false;
                    depth--;
                    if (to - from == 1) {
                        refuse(batch, from, e);
                    } else {
                        int half = from + (to - from) / 2;
                        push(part(half, to));
                        push(part(from, half));
                    }
                    continue;
                }
                failedWrites.incrementAndGet();
                db.evictConnections();
                if (stuckSince == StoreWriter.NOT_STUCK) {
                    stuckSince = clock.millis();
                }
                if (journal != null) {
                    outage.failed(rowsLeft() + " raw events go to the journal until the database answers: "
                            + Database.rootMessage(e), e);
                    List<RawEvent> dropped = new ArrayList<>(journal.appendRaw(sent ? seq : 0, batch.events(from, to)));
                    for (int k = depth - 2; k >= 0; k--) {
                        dropped.addAll(journal.appendRaw(0, batch.events(from(parts[k]), to(parts[k]))));
                    }
                    depth = 0;
                    lostIfAny(dropped, e);
                    return;
                }
                if (System.nanoTime() - closeDeadline > 0) {
                    // closing and the database stays down: the runtime counts what is left as lost
                    List<RawEvent> lost = new ArrayList<>();
                    for (int k = depth - 1; k >= 0; k--) {
                        lost.addAll(batch.events(from(parts[k]), to(parts[k])));
                    }
                    depth = 0;
                    gaveUp = true;
                    throw new RawEventsLost(lost.size() + " raw events not written: " + Database.rootMessage(e), lost, e);
                }
                ++attempt;
                outage.failed((to - from) + " raw events held, retrying with backoff: " + Database.rootMessage(e), e);
                recovery.backOff(StoreWriter.backoffNanos(attempt));
            }
        }
    }

    /** Raw events the journal's bound refused: thrown back for the runtime to count as dropped. */
    private void lostIfAny(List<RawEvent> dropped, RuntimeException cause) {
        if (!dropped.isEmpty()) {
            throw new RawEventsLost(dropped.size() + " raw events dropped: the journal holds its bound of "
                    + journal.maxBytes() + " bytes (store.journal.maxBytes)", dropped, cause);
        }
    }

    /**
     * The journal's replay wrote what it held: the next direct write reads the node's last batch again,
     * and the outage is over for this side too.
     */
    void journalReplayed() {
        lastBatch = -1;
        stuckSince = StoreWriter.NOT_STUCK;
        outage.cleared();
    }

    private void push(long part) {
        if (depth == parts.length) {
            parts = Arrays.copyOf(parts, depth * 2);
        }
        parts[depth++] = part;
    }

    private int rowsLeft() {
        int n = 0;
        for (int k = 0; k < depth; k++) {
            n += to(parts[k]) - from(parts[k]);
        }
        return n;
    }

    private static long part(int from, int to) {
        return (long) from << 32 | to;
    }

    private static int from(long part) {
        return (int) (part >>> 32);
    }

    private static int to(long part) {
        return (int) part;
    }

    /** A raw event the database will never take: counted for its plugin and logged, at most once a minute. */
    void refuse(RawEvent event, RuntimeException cause) {
        refuse(event.pluginId(), event.kpi(), cause);
    }

    private void refuse(RawEventColumns batch, int row, RuntimeException cause) {
        refuse(batch.pluginId(row), batch.kpi(row), cause);
    }

    private void refuse(String pluginId, String kpi, RuntimeException cause) {
        refusedByPlugin.computeIfAbsent(pluginId, id -> new LongAdder()).increment();
        long total = refused.incrementAndGet();
        long minute = Math.floorDiv(clock.millis(), 60_000L);
        long last = lastRefusalLogged;
        if (minute != last) {
            lastRefusalLogged = minute;
            LOG.warn("the store refused a raw event of plugin {} (kpi {}, {} refused so far; the value stays in the"
                            + " rollups, the rows around it are written): {}", LogText.escape(pluginId),
                    LogText.escape(kpi), total, LogText.escape(Database.rootMessage(cause)));
        }
    }

    /**
     * From {@code deadlineNanos} on (by {@link System#nanoTime()}), batches still failing are given up
     * and thrown back as {@link RawEventsLost}; the first deadline set holds.
     */
    void giveUpAfter(long deadlineNanos) {
        if (closeDeadline == Long.MAX_VALUE) {
            closeDeadline = deadlineNanos;
        }
    }

    /** Raw events the database refused for what they hold, in total; each was dropped, the rest written. */
    long refused() {
        return refused.get();
    }

    /** Raw events the database refused for what they hold, per plugin id. */
    Map<String, Long> refusedByPlugin() {
        Map<String, Long> out = new HashMap<>();
        refusedByPlugin.forEach((id, n) -> out.put(id, n.sum()));
        return Map.copyOf(out);
    }

    /** When the batch being retried first failed, by the runtime's clock; {@link StoreWriter#NOT_STUCK} otherwise. */
    long stuckSinceMillis() {
        return stuckSince;
    }

    /** Raw-event batches a retry found already stored: their first attempt committed, then reported a failure. */
    long committedBeforeFailure() {
        return committedBeforeFailure.get();
    }

    /** Publish-to-commit latency totals of the raw events written. */
    CommitLatency persistLatency() {
        return persistLatency;
    }
}
