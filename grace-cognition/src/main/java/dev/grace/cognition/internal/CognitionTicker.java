package dev.grace.cognition.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The {@code grace-cognition} thread: evaluates due hours at start (catching up on hours missed
 * while the runtime was down) and then once a minute. A failure — the database down, say — is
 * logged and tried again at the next wake-up; the hours stay due, so none is skipped.
 */
public final class CognitionTicker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CognitionTicker.class);
    private static final long PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final CognitionEngine engine;
    private final Thread thread;
    /** Counted down by {@link #close()}; the thread waits on it between rounds, so closing wakes it at once. */
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private int failures;

    public CognitionTicker(CognitionEngine engine) {
        this.engine = engine;
        this.thread = new Thread(this::run, "grace-cognition");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (closed.getCount() > 0) {
            try {
                int n = engine.evaluateDue().size();
                if (n > 0) {
                    LOG.debug("cognition: {} benchmark judgements written", n);
                }
                if (failures > 0) {
                    LOG.info("cognition: evaluating again after {} failed attempts", failures);
                }
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                if (failures == 1 || failures % 10 == 0) {
                    LOG.warn("cognition: evaluating due hours failed ({} attempts); retrying each minute: {}",
                            failures, rootMessage(e));
                }
            }
            try {
                closed.await(PERIOD_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
