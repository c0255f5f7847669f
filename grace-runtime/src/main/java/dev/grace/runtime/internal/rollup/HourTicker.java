package dev.grace.runtime.internal.rollup;

import dev.grace.runtime.internal.publish.MinuteMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns the hour. The hot path never reads the clock (a clock read costs more than the whole
 * aggregation); instead this thread wakes at each hour boundary and moves every accumulator to the
 * new hour. It wakes at every minute boundary, so a clock that jumps is followed within a minute,
 * and keeps the {@link MinuteMark} that rate-limits rejection warnings.
 */
public final class HourTicker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HourTicker.class);
    private static final long MINUTE_MILLIS = 60_000L;

    private final Clock clock;
    private final RollupRegistry registry;
    private final MinuteMark minute;
    private final ScheduledExecutorService executor;

    public HourTicker(Clock clock, RollupRegistry registry, MinuteMark minute) {
        this.clock = clock;
        this.registry = registry;
        this.minute = minute;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grace-hour-ticker");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        scheduleNext();
    }

    private void scheduleNext() {
        long now = clock.millis();
        // Every minute boundary, hours included: the minute mark needs it, and a clock that jumps is
        // followed within a minute.
        long next = Math.floorDiv(now, MINUTE_MILLIS) * MINUTE_MILLIS + MINUTE_MILLIS;
        long delay = Math.max(1, Math.min(next - now, MINUTE_MILLIS));
        try {
            executor.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed while scheduling: nothing more to turn
        }
    }

    private void tick() {
        try {
            minute.set(clock.millis());
            registry.turn();
        } catch (RuntimeException e) {
            LOG.error("turning the hour failed; retrying at the next tick", e);
        } finally {
            scheduleNext();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
