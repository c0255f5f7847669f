package dev.grace.runtime.internal.publish;

import dev.grace.runtime.RawEventsLost;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.internal.ConditionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The raw-event thread: drains the ring in batches into the sink. When the ring is empty it parks
 * briefly (publishers never wake it, so an offer costs no signalling); {@link #close()} drains
 * everything still queued before returning.
 */
public final class RawEventPump implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RawEventPump.class);
    private static final int BATCH = 4096;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final RawEventRing ring;
    private final RawEventSink sink;
    private final Consumer<String> countLostForPlugin;
    private final Thread thread;
    /** A sink that keeps failing (a store whose journal is full) logs a handful of lines, not one per batch. */
    private final ConditionLog sinkFailing;
    private volatile boolean running = true;
    /** How many events have been handed to the sink (or counted lost); written by the pump thread. */
    private volatile long delivered;

    /**
     * @param capacity           the ring's capacity (a power of two)
     * @param sink               where batches go
     * @param countLostForPlugin called once per raw event lost because the sink threw
     */
    public RawEventPump(int capacity, RawEventSink sink, Consumer<String> countLostForPlugin) {
        this(capacity, sink, countLostForPlugin, Clock.systemUTC());
    }

    /** @param clock the runtime's clock, for the sink-failure log's once-a-minute lines */
    public RawEventPump(int capacity, RawEventSink sink, Consumer<String> countLostForPlugin, Clock clock) {
        this.sinkFailing = new ConditionLog(LOG, "the raw-event sink fails", clock);
        this.ring = new RawEventRing(capacity);
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
        List<RawEvent> batch = new ArrayList<>(BATCH);
        while (running) {
            if (ring.drainTo(batch, BATCH) == 0) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            int n = batch.size();
            deliver(batch);
            delivered += n;
            // The sink owns the delivered list; size the next one to the traffic seen, not to the
            // largest batch, so a steady trickle does not allocate 16 kB per drain.
            batch = new ArrayList<>(Math.min(BATCH, Math.max(64, 2 * n)));
        }
    }

    /**
     * Waits until every event offered before this call has been handed to the sink.
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitDelivered(java.time.Duration timeout) {
        long target = ring.claimed();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered < target) {
            if (!running || System.nanoTime() - deadline > 0) {
                return delivered >= target;
            }
            LockSupport.parkNanos(IDLE_PARK_NANOS / 4);
        }
        return true;
    }

    private void deliver(List<RawEvent> batch) {
        try {
            sink.accept(batch);
            sinkFailing.cleared();
        } catch (Exception | LinkageError e) {
            List<RawEvent> lost = e instanceof RawEventsLost partly ? partly.events() : batch;
            sinkFailing.failed(lost.size() + " raw events lost, counted (rollups keep their values): "
                    + ConditionLog.oneLine(e), e);
            for (RawEvent event : lost) {
                countLostForPlugin.accept(event.pluginId());
            }
        }
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
        long end = ring.close();
        List<RawEvent> batch = new ArrayList<>(BATCH);
        while (!ring.drainedTo(end)) {
            if (ring.drainTo(batch, BATCH) == 0) {
                Thread.onSpinWait(); // a producer claimed a slot and is still writing it
                continue;
            }
            deliver(batch);
            batch = new ArrayList<>(BATCH);
        }
    }
}
