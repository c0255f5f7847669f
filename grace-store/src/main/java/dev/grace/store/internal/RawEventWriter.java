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
    private final MetricEventDao events = new MetricEventDao();
    private final RawEventBatchDao batches = new RawEventBatchDao();
    /** The row ranges of the batch still to write, reused from batch to batch; raw-event thread only. */
    private int[] partFrom = new int[32];
    private int[] partTo = new int[32];
    /** This node's last stored raw-event batch; -1 until read. Only the raw-event thread uses it. */
    private long lastBatch = -1;
    private final AtomicLong committedBeforeFailure = new AtomicLong();
    /** When the raw-event batch being retried first failed; NOT_STUCK otherwise. Written by the raw-event thread. */
    private volatile long stuckSince = StoreWriter.NOT_STUCK;
    private volatile long closeDeadline = Long.MAX_VALUE;
    private final AtomicLong refused = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> refusedByPlugin = new ConcurrentHashMap<>();
    /** The minute of the last refusal warning; raw-event thread only. */
    private long lastRefusalLogged = Long.MIN_VALUE;
    private final CommitLatency persistLatency = new CommitLatency();

    RawEventWriter(Database db, String node, Clock clock, AtomicLong failedWrites, Recovery recovery) {
        this.recovery = recovery;
        this.outage = new ConditionLog(LOG, "writing raw events fails", clock);
        this.db = db;
        this.node = node;
        this.clock = clock;
        this.failedWrites = failedWrites;
    }

    /**
     * Writes a batch of raw events. A failure of the database is retried with backoff, on this (the
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
        // The parts still to write, as row ranges of the batch (a stack: the first half of a split on top)
        int parts = 0;
        partFrom[parts] = 0;
        partTo[parts++] = batch.size();
        int attempt = 0;
        long seq = 0;          // the sequence of the part at the head of the queue, 0 until chosen
        boolean sent = false;  // whether a transaction with that sequence was sent (and may have committed)
        while (parts > 0) {
            int from = partFrom[parts - 1];
            int to = partTo[parts - 1];
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
                boolean written = db.jdbi().inTransaction(h -> {
                    if (!batches.advance(h, node, s)) {
                        return false;
                    }
                    events.insert(h, node, batch, from, to);
                    return true;
                });
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
                parts--;
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
                    parts--;
                    if (to - from == 1) {
                        refuse(batch, from, e);
                    } else {
                        int half = from + (to - from) / 2;
                        parts = push(parts, half, to);
                        parts = push(parts, from, half);
                    }
                    continue;
                }
                failedWrites.incrementAndGet();
                db.evictConnections();
                if (stuckSince == StoreWriter.NOT_STUCK) {
                    stuckSince = clock.millis();
                }
                if (System.nanoTime() - closeDeadline > 0) {
                    // closing and the database stays down: the runtime counts what is left as lost
                    List<RawEvent> lost = new ArrayList<>();
                    for (int k = parts - 1; k >= 0; k--) {
                        lost.addAll(batch.events(partFrom[k], partTo[k]));
                    }
                    throw new RawEventsLost(lost.size() + " raw events not written: " + Database.rootMessage(e), lost, e);
                }
                ++attempt;
                outage.failed((to - from) + " raw events held, retrying with backoff: " + Database.rootMessage(e), e);
                recovery.backOff(StoreWriter.backoffNanos(attempt));
            }
        }
    }

    /** Pushes the rows {@code from .. to} on the stack of parts; returns the new depth. */
    private int push(int parts, int from, int to) {
        if (parts == partFrom.length) {
            partFrom = Arrays.copyOf(partFrom, 2 * parts);
            partTo = Arrays.copyOf(partTo, 2 * parts);
        }
        partFrom[parts] = from;
        partTo[parts] = to;
        return parts + 1;
    }

    /** A raw event the database will never take: counted for its plugin and logged, at most once a minute. */
    private void refuse(RawEventColumns batch, int row, RuntimeException cause) {
        refusedByPlugin.computeIfAbsent(batch.pluginId(row), id -> new LongAdder()).increment();
        long total = refused.incrementAndGet();
        long minute = Math.floorDiv(clock.millis(), 60_000L);
        long last = lastRefusalLogged;
        if (minute != last) {
            lastRefusalLogged = minute;
            LOG.warn("the store refused a raw event of plugin {} (kpi {}, {} refused so far; the value stays in the"
                            + " rollups, the rows around it are written): {}", LogText.escape(batch.pluginId(row)),
                    LogText.escape(batch.kpi(row)), total, LogText.escape(Database.rootMessage(cause)));
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
