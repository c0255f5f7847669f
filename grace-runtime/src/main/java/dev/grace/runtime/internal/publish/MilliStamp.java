package dev.grace.runtime.internal.publish;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;

/**
 * The time stamp of raw events recorded "now" while raw events stream: one clock reading shared by
 * the publishing threads instead of one {@code clock.millis()} (24 ns here, more than the rollup) per
 * event.
 *
 * <p>Only the system clock is shared this way (a test's clock is read on every event). The raw-event
 * thread reads the clock at every pass over the ring that finds events (every few microseconds while
 * events stream) and withdraws the stamp before it parks on an empty ring and before a sink call
 * when the last one took longer than a millisecond (a database write): a publisher that finds no
 * stamp reads the clock itself, as it did before. So that a stalled raw-event thread (descheduled on
 * a loaded machine) cannot date events for long, each lane lets at most {@link #REUSES} offers in a
 * row take a stamp without a clock reading: the next one reads the clock and puts its reading in
 * (unless the stamp was withdrawn meanwhile). A stamp is therefore never older than the raw-event
 * thread's last pass or the last {@value #REUSES} offers on its lane, whichever is more recent.
 */
final class MilliStamp {

    /** No stamp: read the clock. */
    static final long NONE = Long.MIN_VALUE;
    /** Offers in a row on one lane that may reuse a stamp. */
    static final int REUSES = 256;
    private static final VarHandle STAMP;

    static {
        try {
            STAMP = MethodHandles.lookup().findVarHandle(MilliStamp.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The clock whose readings are shared; null when none is (not the system clock). */
    final Clock clock;
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    private volatile long stamp = NONE;
    @SuppressWarnings("unused")
    private long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    /** @param clock the runtime's clock; shared only when it is the system clock */
    MilliStamp(Clock clock) {
        this(clock, clock != null && Clock.systemUTC().equals(clock));
    }

    /** @param share whether {@code clock}'s readings are shared (tests share a clock they control) */
    MilliStamp(Clock clock, boolean share) {
        this.clock = share ? clock : null;
    }

    /** The shared stamp, or {@link #NONE}. */
    long get() {
        return stamp;
    }

    /** Raw-event thread: a fresh reading for the events to come. */
    void refresh() {
        if (clock != null) {
            stamp = clock.millis();
        }
    }

    /** Raw-event thread: no stamp until the next {@link #refresh()}. */
    void withdraw() {
        stamp = NONE;
    }

    /** A publisher's fresh reading replaces the stamp it saw, unless that was withdrawn or replaced meanwhile. */
    void renew(long seen, long fresh) {
        if (seen != NONE) {
            STAMP.compareAndSet(this, seen, fresh);
        }
    }
}
