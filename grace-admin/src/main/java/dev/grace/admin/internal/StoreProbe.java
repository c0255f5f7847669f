package dev.grace.admin.internal;

import dev.grace.runtime.internal.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The store's reachability as {@code /health}, {@code /health/ready} and {@code /metrics} report
 * it: checked by a thread of its own once a second, so that no request thread ever waits on the
 * database. A check that has not come back for {@link #STALE_MILLIS} counts as "does not answer".
 */
final class StoreProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreProbe.class);
    static final long INTERVAL_MILLIS = 1_000;
    static final long STALE_MILLIS = 5_000;

    private record Checked(AdminBackend.StoreHealth health, long atNanos) {
    }

    private final AdminBackend backend;
    private final ScheduledExecutorService thread;
    private volatile Checked last;

    /** Checks once now, on the caller's thread, so that the first answer is already a real one. */
    StoreProbe(AdminBackend backend) {
        this.backend = backend;
        check();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grace-http-store-check");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::check, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    void check() {
        try {
            last = new Checked(backend.storeHealth(), System.nanoTime());
        } catch (RuntimeException e) {
            // the next check tries again; meanwhile the last answer grows stale and says so
            LOG.warn("admin API: the store check failed: {}", LogText.escape(e.toString()));
        }
    }

    /** The latest check's answer; "does not answer" when it is older than {@link #STALE_MILLIS}. */
    AdminBackend.StoreHealth current() {
        Checked c = last;
        if (c == null) {
            return new AdminBackend.StoreHealth(true, false, "not checked yet");
        }
        long ageMillis = (System.nanoTime() - c.atNanos()) / 1_000_000;
        if (c.health().enabled() && ageMillis > STALE_MILLIS) {
            return c.health().unanswered(c.health().location() + " (the last check has not returned for "
                    + ageMillis / 1000 + " s)");
        }
        return c.health();
    }

    /** Seconds a client is told to wait ({@code Retry-After}) while the store does not answer. */
    static final String RETRY_AFTER_SECONDS = "5";

    /**
     * For routes that read the store: answers 503 at once while the latest check says the store does
     * not answer, instead of letting a request thread wait on the connection pool.
     */
    void requireReachable() {
        AdminBackend.StoreHealth h = current();
        if (h.enabled() && !h.reachable()) {
            throw unavailable(h.location());
        }
    }

    /** Whether the store is on and its latest check says it does not answer. */
    boolean knownDown() {
        AdminBackend.StoreHealth h = current();
        return h.enabled() && !h.reachable();
    }

    static HttpError unavailable(String location) {
        return new HttpError(503, null, "the store does not answer (" + location + "); what it holds is not"
                + " available now, try again in a few seconds").withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
