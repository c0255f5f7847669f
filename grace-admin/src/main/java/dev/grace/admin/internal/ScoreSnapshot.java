package dev.grace.admin.internal;

import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.internal.ConditionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cognition's current scores as {@code /metrics} reports them, read by a thread of its own every
 * {@link #INTERVAL_MILLIS} so that a scrape never waits on the database: scoring reads the store,
 * and a request thread must not. While the store does not answer (by {@link StoreProbe}), or a read
 * fails, there are no scores, and {@code /metrics} omits them rather than showing stale ones.
 */
final class ScoreSnapshot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreSnapshot.class);
    static final long INTERVAL_MILLIS = 5_000;

    private final AdminBackend backend;
    private final StoreProbe store;
    private final ConditionLog failing;
    private final ScheduledExecutorService thread;
    private volatile Optional<Status> latest = Optional.empty();

    ScoreSnapshot(AdminBackend backend, StoreProbe store, Clock clock) {
        this.backend = backend;
        this.store = store;
        this.failing = new ConditionLog(LOG, "admin API: cognition's scores cannot be read for /metrics", clock);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grace-http-scores");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::refresh, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    void refresh() {
        Optional<CognitionReader> cognition = backend.cognition();
        if (cognition.isEmpty() || store.knownDown()) {
            latest = Optional.empty();
            return;
        }
        try {
            latest = Optional.of(cognition.get().status());
            failing.cleared();
        } catch (RuntimeException e) {
            latest = Optional.empty();
            failing.failed(e);
        }
    }

    /** The scores read last; empty without cognition, while the store is down, or before the first read. */
    Optional<Status> current() {
        return store.knownDown() ? Optional.empty() : latest;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
