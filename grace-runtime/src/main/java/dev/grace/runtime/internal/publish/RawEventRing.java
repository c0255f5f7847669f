package dev.grace.runtime.internal.publish;

import dev.grace.runtime.RawEvent;
import dev.grace.runtime.internal.rollup.KpiAccumulator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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
 * flood took 393 of a paced plugin's 502 raw events). The share costs the offer one uncontended
 * atomic increment on the publisher's own counter.
 */
final class RawEventRing {

    private static final VarHandle PRODUCER;
    private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            PRODUCER = MethodHandles.lookup().findVarHandle(RawEventRing.class, "producerIndex", long.class);
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
    /** Only the consumer thread touches this. */
    private long consumerIndex;

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

    /** Offers one event; false when the share is full or the ring is. Never blocks. */
    boolean offer(Share share, KpiAccumulator source, double value, long epochMillis, Map<String, String> meta) {
        // A full share (the usual case under a flood) is seen with two reads and refused without
        // writing anything shared; only an offer that may fit pays the atomic claim.
        if (share.offered.get() - share.taken >= quota) {
            return false;
        }
        // Claim within the share: at most one slot per concurrent thread of this publisher over.
        if (share.offered.getAndIncrement() - share.taken >= quota) {
            share.offered.decrementAndGet();
            return false;
        }
        while (true) {
            long index = (long) PRODUCER.getVolatile(this);
            int slot = (int) index & mask;
            long sequence = (long) SEQUENCES.getAcquire(sequences, slot);
            if (sequence == index) {
                if (PRODUCER.compareAndSet(this, index, index + 1)) {
                    sources[slot] = source;
                    values[slot] = value;
                    times[slot] = epochMillis;
                    metadata[slot] = meta;
                    owners[slot] = share;
                    SEQUENCES.setRelease(sequences, slot, index + 1);
                    return true;
                }
            } else if (sequence < index) {
                share.offered.decrementAndGet();
                return false;
            }
            // another producer claimed this slot first; try the next index
        }
    }

    /** Moves up to {@code max} events into {@code out}; returns how many. Consumer thread only. */
    @SuppressWarnings("unchecked")
    int drainTo(List<RawEvent> out, int max) {
        int n = 0;
        // Hand slots back to their shares per run of one owner, not per event: the publisher reads
        // `taken` on every offer, and a write per event would move its cache line back each time.
        Share owner = null;
        long run = 0;
        while (n < max) {
            long index = consumerIndex;
            int slot = (int) index & mask;
            long sequence = (long) SEQUENCES.getAcquire(sequences, slot);
            if (sequence != index + 1) {
                break;
            }
            KpiAccumulator source = sources[slot];
            Map<String, String> meta = (Map<String, String>) metadata[slot];
            out.add(new RawEvent(source.pluginId(), source.domain(), source.kpi().name(), values[slot], times[slot],
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
            consumerIndex = index + 1;
            n++;
        }
        release(owner, run);
        return n;
    }

    private static void release(Share owner, long slots) {
        if (owner != null) {
            owner.taken = owner.taken + slots; // the consumer is its only writer
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

    /** One publisher's part of the ring: how many slots it has claimed and how many the consumer took. */
    static final class Share {
        private final AtomicLong offered = new AtomicLong();
        @SuppressWarnings("unused")
        private long p1, p2, p3, p4, p5, p6, p7; // the consumer writes taken on every event; keep it off offered's line
        private volatile long taken;
    }

    /** Whether the consumer has taken every slot before {@code end}. Consumer thread only. */
    boolean drainedTo(long end) {
        return consumerIndex >= end;
    }
}
