package dev.grace.store.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes the store's writers as soon as the database answers again. A writer backing off a failed
 * write waits here instead of sleeping out its backoff (which grows to 30 s); while any writer waits,
 * a thread of its own checks the database every {@link #PROBE_MILLIS} and, the moment it answers,
 * wakes them all, so rollups and raw events are written again within about a second of the database's
 * return rather than at the end of the longest backoff. The check connects past the pool, and renews a
 * pool left without connections ({@link Database#answersAgain()}), so the pool's own backoff does not
 * hold the writers up either.
 */
final class Recovery implements AutoCloseable {

    static final long PROBE_MILLIS = 100;

    private final Database db;
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicLong answers = new AtomicLong();
    private final Thread probe;
    private volatile boolean running = true;

    Recovery(Database db) {
        this.db = db;
        this.probe = new Thread(this::run, "grace-store-recovery");
        this.probe.setDaemon(true);
    }

    /** Starts probing; until then (and without it) a writer's backoff is simply waited out. */
    void start() {
        probe.start();
    }

    /**
     * Waits up to {@code nanos} for a retry, or until the database answers again, whichever is first.
     * May return early spuriously; callers retry in a loop anyway.
     */
    void backOff(long nanos) {
        Thread me = Thread.currentThread();
        waiting.add(me);
        LockSupport.unpark(probe);
        try {
            LockSupport.parkNanos(this, nanos);
        } finally {
            waiting.remove(me);
        }
    }

    /** How many times the probe found the database answering while a writer waited; changes when a writer should retry now. */
    long answers() {
        return answers.get();
    }

    private void run() {
        while (running) {
            if (waiting.isEmpty()) {
                LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            if (db.answersAgain()) {
                answers.incrementAndGet();
                waiting.forEach(LockSupport::unpark);
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS));
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(probe);
    }
}
