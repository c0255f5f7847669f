package dev.grace.runtime.internal.publish;

import dev.grace.runtime.RawEventsLost;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.internal.ConditionLog;
import dev.grace.runtime.internal.rollup.Stripes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The raw-event thread: drains the ring in batches into one reused set of columns and hands them to
 * the sink: a {@link RawEventColumnSink} (the store's writer) reads the columns, so the drain
 * allocates nothing; a host's plain {@link RawEventSink} gets a new {@code List<RawEvent>} per batch,
 * one object per event (the price of a list it may keep). When the ring is empty it parks briefly
 * (publishers never wake it, so an offer costs no signalling); {@link #close()} drains everything
 * still queued before returning.
 */
public final class RawEventPump implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RawEventPump.class);
    private static final int BATCH = 4096;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long BUSY_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** Short parks after the last pass that found events: 40 × 50 µs, the long park's 2 ms. */
    private static final int BUSY_POLLS = 40;
    private static final long SLOW_SINK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RawEventRing ring;
    private final MilliStamp stamp;
    /** Whether the last sink call took longer than a millisecond: the stamp is withdrawn during the next. Pump thread only. */
    private boolean slowSink;
    private final RawEventSink sink;
    private final Consumer<String> countLostForPlugin;
    private final Thread thread;
    /** A sink that keeps failing (a store whose journal is full) logs a handful of lines, not one per batch. */
    private final ConditionLog sinkFailing;
    private volatile boolean running = true;
    /** Per lane, the index below which every event was handed to the sink (or counted lost); written by the pump thread. */
    private final AtomicLongArray delivered;

    /**
     * @param capacity           the ring's capacity (a power of two)
     * @param sink               where batches go
     * @param countLostForPlugin called once per raw event lost because the sink threw
     */
    public RawEventPump(int capacity, RawEventSink sink, Consumer<String> countLostForPlugin) {
        this(capacity, null, sink, countLostForPlugin);
    }

    /**
     * @param clock the runtime's clock: when it is the system clock, events recorded now while raw
     *              events stream share its readings ({@link MilliStamp}); may be null
     */
    public RawEventPump(int capacity, Clock clock, RawEventSink sink, Consumer<String> countLostForPlugin) {
        this.sinkFailing = new ConditionLog(LOG, "the raw-event sink fails", clock == null ? Clock.systemUTC() : clock);
        this.ring = new RawEventRing(capacity, Stripes.COUNT, clock);
        this.stamp = ring.stamp();
        this.delivered = new AtomicLongArray(ring.lanes());
        this.sink = sink;
        this.countLostForPlugin = countLostForPlugin;
        this.thread = new Thread(this::run, "grace-raw-events");
        this.thread.setDaemon(true);
    }

    RawEventRing ring() {
        return ring;
    }

    /** A share of the ring for one more publisher (a restarted plugin keeps its first one). */
    RawEventRing.Share newShare() {
        return ring.newShare();
    }

    public void start() {
        thread.start();
    }

    private void run() {
        RingColumns batch = new RingColumns(BATCH, ring.lanes());
        int emptyPasses = BUSY_POLLS;
        while (running) {
            if (ring.drainTo(batch) == 0) {
                stamp.withdraw(); // nothing streams: a publisher reads the clock
                // Just after events: look again soon, so a lane (capacity / stripes slots) does not fill
                // while this thread sleeps; after BUSY_POLLS empty looks, the long park.
                LockSupport.parkNanos(emptyPasses < BUSY_POLLS ? BUSY_PARK_NANOS : IDLE_PARK_NANOS);
                emptyPasses = Math.min(BUSY_POLLS, emptyPasses + 1);
                continue;
            }
            emptyPasses = 0;
            if (slowSink) {
                stamp.withdraw();
            } else {
                stamp.refresh();
            }
            int drained = batch.size();
            long started = System.nanoTime();
            deliver(batch);
            slowSink = System.nanoTime() - started > SLOW_SINK_NANOS;
            if (drained < BATCH && !slowSink) {
                // Caught up with a fast sink: let the lanes fill before the next pass. A pass right
                // behind the producers reads each slot's line while they still write it and their
                // next store must take it back, a round trip between cores per few events (107 ns a
                // record instead of 34 here, 1 thread, quiet machine); after a short park a pass reads
                // hundreds of finished slots per line moved. A lane holds capacity / stripes slots,
                // far more than a park's worth at any rate a record allows. A slow sink (a database
                // write) already spaces the passes, and a parked thread on a loaded machine may wait
                // milliseconds for a core: no park then.
                LockSupport.parkNanos(BUSY_PARK_NANOS);
            }
        }
        stamp.withdraw();
    }

    /**
     * Waits until every event offered before this call has been handed to the sink.
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitDelivered(java.time.Duration timeout) {
        long[] target = ring.claimed();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!deliveredTo(target)) {
            if (!running || System.nanoTime() - deadline > 0) {
                return deliveredTo(target);
            }
            LockSupport.parkNanos(IDLE_PARK_NANOS / 4);
        }
        return true;
    }

    private boolean deliveredTo(long[] target) {
        for (int i = 0; i < target.length; i++) {
            if (delivered.get(i) < target[i]) {
                return false;
            }
        }
        return true;
    }

    /** Hands the batch to the sink, counts what it lost, marks it delivered and clears it. Pump thread (or close) only. */
    private void deliver(RingColumns batch) {
        try {
            if (sink instanceof RawEventColumnSink columns) {
                columns.accept(batch);
            } else {
                // A host's own sink takes a list it may keep: one RawEvent per event, made here.
                sink.accept(batch.events(0, batch.size()));
            }
            sinkFailing.cleared();
        } catch (Exception | LinkageError e) {
            if (e instanceof RawEventsLost partly) {
                sinkFailing.failed(partly.events().size() + " raw events lost, counted (rollups keep their values): "
                        + ConditionLog.oneLine(e), e);
                for (RawEvent event : partly.events()) {
                    countLostForPlugin.accept(event.pluginId());
                }
            } else {
                sinkFailing.failed(batch.size() + " raw events lost, counted (rollups keep their values): "
                        + ConditionLog.oneLine(e), e);
                for (int i = 0; i < batch.size(); i++) {
                    countLostForPlugin.accept(batch.pluginId(i));
                }
            }
        }
        for (int i = 0; i < batch.laneEnds.length; i++) {
            delivered.lazySet(i, batch.laneEnds[i]);
        }
        batch.clear();
    }

    /** Tells the sink the runtime is closing, so one that waits on something down gives up within a bounded time. */
    public void closing() {
        sink.closing();
    }

    /** Stops the thread and delivers every event still in the ring. Call after publishers are closed. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // The sink is stuck in a batch; draining from here too would make two consumers.
            LOG.error("raw-event sink did not return within 30s; raw events still queued are not delivered");
            return;
        }
        long[] ends = ring.close();
        RingColumns batch = new RingColumns(BATCH, ring.lanes());
        while (!ring.drainedTo(ends)) {
            if (ring.drainTo(batch) == 0) {
                Thread.onSpinWait(); // a producer claimed a slot and is still writing it
                continue;
            }
            deliver(batch);
        }
    }
}
