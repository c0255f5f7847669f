package dev.grace.runtime.internal.publish;

import dev.grace.runtime.RawEvent;
import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.Stripes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;

/**
 * The bounded hand-off of raw events from publishing threads to the single raw-event thread.
 *
 * <p>A multi-producer, single-consumer ring of preallocated slots (the sequence scheme of the LMAX
 * Disruptor and JCTools' MPMC array queue): a publisher claims a slot with one compare-and-set on
 * the producer index and writes primitives into it, so an offer allocates nothing; a full ring
 * refuses the offer at once, never waiting, and the caller counts the drop.
 *
 * <p><b>Fair shares.</b> Every publisher offers through its own {@link Share}, and no share may hold
 * more than {@code capacity / shares} slots at once: a plugin that floods fills its own share and
 * drops its own raw events, while the rest of the ring stays free for the others (before shares, a
 * flood took 393 of a paced plugin's 502 raw events). A share counts its claims on the calling
 * thread's stripe ({@link Stripes}), so two threads of one publisher never write one line; the sum
 * over the stripes is read only when the ring holds at least a share's worth of slots, since below
 * that no share can be over its bound. An accepted offer thus writes the producer index and its own
 * stripe, and a refused one writes nothing shared.
 */
final class RawEventRing {

    private static final VarHandle PRODUCER;
    private static final VarHandle CONSUMER;
    private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            PRODUCER = MethodHandles.lookup().findVarHandle(RawEventRing.class, "producerIndex", long.class);
            CONSUMER = MethodHandles.lookup().findVarHandle(RawEventRing.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final long[] sequences;
    private final KpiAccumulator[] sources;
    private final double[] values;
    private final long[] times;
    private final Object[] metadata;
    private final Share[] owners;
    private final int capacity;
    /** Slots one share may hold at once: capacity / shares. */
    private volatile int quota;
    private int shares;
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    @SuppressWarnings("unused")
    private volatile long producerIndex;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
    /**
     * Written by the consumer only, once per drain (producers read it on every offer to see how full
     * the ring is); padded on both sides so that neither the producer index nor the fields every
     * offer reads share its line.
     */
    @SuppressWarnings("unused")
    private volatile long consumerIndex;
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27;

    RawEventRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, got " + capacity);
        }
        mask = capacity - 1;
        sequences = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            sequences[i] = i;
        }
        sources = new KpiAccumulator[capacity];
        values = new double[capacity];
        times = new long[capacity];
        metadata = new Object[capacity];
        owners = new Share[capacity];
        this.capacity = capacity;
        this.quota = capacity;
    }

    /** A new publisher's share; every share's bound becomes capacity / shares. */
    synchronized Share newShare() {
        shares++;
        quota = Math.max(1, capacity / shares);
        return new Share();
    }

    /**
     * Whether an offer through {@code share} would be refused now: a caller can skip what it would
     * only do for an accepted event (reading the clock). Reads only; a false answer may still be
     * followed by a refused offer, when another thread takes the last slot first.
     */
    boolean refuses(Share share) {
        long index = (long) PRODUCER.getVolatile(this);
        if ((long) SEQUENCES.getAcquire(sequences, (int) index & mask) < index) {
            return true; // the ring is full: one read, before the share's stripes
        }
        int q = quota;
        return index - (long) CONSUMER.getAcquire(this) >= q && share.held() >= q;
    }

    /** Offers one event; false when the share is full or the ring is. Never blocks. */
    boolean offer(Share share, KpiAccumulator source, double value, long epochMillis, Map<String, String> meta) {
        int q = quota;
        while (true) {
            long index = (long) PRODUCER.getVolatile(this);
            int slot = (int) index & mask;
            long sequence = (long) SEQUENCES.getAcquire(sequences, slot);
            if (sequence < index) {
                return false; // the ring is full
            }
            // The consumer index lags (it is published once per drain), so this overstates how full
            // the ring is: never lets a share past its bound, at worst sums its stripes needlessly.
            if (index - (long) CONSUMER.getAcquire(this) >= q && share.held() >= q) {
                return false;
            }
            if (sequence == index) {
                if (PRODUCER.compareAndSet(this, index, index + 1)) {
                    // Counted before the slot is published, so the consumer never hands back a slot
                    // the share has not counted yet. Threads of one share that pass the check at
                    // once each take one slot: the share may be over by one slot per such thread.
                    share.claimedOne();
                    sources[slot] = source;
                    values[slot] = value;
                    times[slot] = epochMillis;
                    metadata[slot] = meta;
                    owners[slot] = share;
                    SEQUENCES.setRelease(sequences, slot, index + 1);
                    return true;
                }
            }
            // another producer claimed this slot first; try the next index
        }
    }

    /** Moves up to {@code max} events into {@code out}; returns how many. Consumer thread only. */
    @SuppressWarnings("unchecked")
    int drainTo(List<RawEvent> out, int max) {
        int n = 0;
        // Hand slots back to their shares per run of one owner, not per event: a publisher reads the
        // taken count whenever the ring is fuller than a share, and a write per event would move its
        // line back each time.
        Share owner = null;
        long run = 0;
        long index = consumerIndex;
        while (n < max) {
            int slot = (int) index & mask;
            long sequence = (long) SEQUENCES.getAcquire(sequences, slot);
            if (sequence != index + 1) {
                break;
            }
            KpiAccumulator source = sources[slot];
            Map<String, String> meta = (Map<String, String>) metadata[slot];
            out.add(new RawEvent(source.pluginId(), source.domain(), source.kpi().name(), source.series(), values[slot], times[slot],
                    meta == null ? Map.of() : meta));
            Share slotOwner = owners[slot];
            if (slotOwner != owner) {
                release(owner, run);
                owner = slotOwner;
                run = 0;
            }
            run++;
            sources[slot] = null;
            metadata[slot] = null;
            owners[slot] = null;
            SEQUENCES.setRelease(sequences, slot, index + mask + 1);
            index++;
            n++;
        }
        release(owner, run);
        // Once per drain, not per event: every offer reads this line.
        CONSUMER.setRelease(this, index);
        return n;
    }

    private static void release(Share owner, long slots) {
        if (owner != null) {
            owner.took(slots);
        }
    }

    /**
     * Refuses every later offer (each is then counted as a drop by its caller) and returns the
     * index one past the last slot ever claimed: the consumer drains until it reaches it, so an
     * event whose slot was claimed before the close is delivered even if its producer is still
     * writing it.
     */
    long close() {
        // Producers compare their claim against this index: a jump far ahead makes every later
        // claim look like a full ring, and no earlier claim is affected.
        return (long) PRODUCER.getAndSet(this, Long.MAX_VALUE / 2);
    }

    /** The index one past the last slot claimed so far (any thread). */
    long claimed() {
        return (long) PRODUCER.getVolatile(this);
    }

    /**
     * One publisher's part of the ring: how many slots it has claimed, one count per stripe, and how
     * many of them the consumer took. All in one array, 128 bytes (two cache lines: the adjacent-line
     * prefetcher pairs them) apart and away from the array's header and ends, so no field layout can
     * put a count written by one thread on a line another writes.
     */
    static final class Share {
        private static final int PAD = 16;
        private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
        /** Where the consumer counts the slots it took (it is the only writer). */
        private static final int TAKEN = (Stripes.COUNT + 1) * PAD;

        /** Slots claimed by threads of stripe s at {@code (s + 1) * PAD}; slots taken at {@link #TAKEN}. */
        private final long[] counts = new long[(Stripes.COUNT + 2) * PAD];

        private void claimedOne() {
            int[] probe = Stripes.probe();
            int i = ((probe[0] & Stripes.MASK) + 1) * PAD;
            long n = (long) COUNTS.getVolatile(counts, i);
            if (!COUNTS.compareAndSet(counts, i, n, n + 1)) {
                // another thread on this stripe: move, as the rollup's stripes do
                COUNTS.getAndAdd(counts, ((Stripes.advance(probe) & Stripes.MASK) + 1) * PAD, 1L);
            }
        }

        /** Consumer thread only. */
        private void took(long slots) {
            COUNTS.setRelease(counts, TAKEN, (long) COUNTS.getOpaque(counts, TAKEN) + slots);
        }

        /** Slots claimed and not yet taken; never below the truth at the moment the taken count is read. */
        private long held() {
            long taken = (long) COUNTS.getAcquire(counts, TAKEN); // first: claims only grow, so reading them later can only add
            long claimed = 0;
            for (int i = PAD; i < TAKEN; i += PAD) {
                claimed += (long) COUNTS.getVolatile(counts, i);
            }
            return claimed - taken;
        }
    }

    /** Whether the consumer has taken every slot before {@code end}. Consumer thread only. */
    boolean drainedTo(long end) {
        return consumerIndex >= end;
    }
}
