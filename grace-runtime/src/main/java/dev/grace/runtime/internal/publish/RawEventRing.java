package dev.grace.runtime.internal.publish;

import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.Stripes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.util.Map;

/**
 * The bounded hand-off of raw events from publishing threads to the single raw-event thread.
 *
 * <p><b>Lanes.</b> The ring is {@link Stripes#COUNT} lanes of {@code capacity / COUNT} preallocated
 * primitive slots (time, value, the accumulator, metadata only when there is some). A thread offers
 * into the lane of its stripe, the one its rollup adds go to, so threads up to the stripe count never
 * write one line: a claim is one compare-and-set on the lane's producer index, uncontended; a thread
 * that loses it to another on its stripe moves to another stripe, as the rollup's adds do. Each lane
 * is a multi-producer, single-consumer ring: a slot is published by a release store of its
 * accumulator and emptied by the consumer, which publishes its index once per drain. Nothing here
 * allocates, waits or signals; a full lane refuses the offer at once and the caller counts the drop.
 *
 * <p><b>Fair shares.</b> Every publisher offers through its own {@link Share}, and no share may hold
 * more than {@code laneCapacity / shares} slots of a lane at once: a plugin that floods fills its own
 * part of each lane and drops its own raw events, while the rest stays free for the others. A share
 * counts its claims per lane; the count is read only when the lane holds at least a share's worth of
 * slots, since below that no share can be over its bound. A refused offer writes nothing shared.
 */
final class RawEventRing {

    private static final VarHandle PRODUCER;
    private static final VarHandle CONSUMER;
    private static final VarHandle LIMIT;
    private static final VarHandle SOURCES = MethodHandles.arrayElementVarHandle(KpiAccumulator[].class);
    /** Past any index a lane reaches: a closed lane's producer index, so every later claim sees a full lane. */
    private static final long CLOSED = Long.MAX_VALUE / 2;

    static {
        try {
            PRODUCER = MethodHandles.lookup().findVarHandle(Lane.class, "producerIndex", long.class);
            CONSUMER = MethodHandles.lookup().findVarHandle(Lane.class, "consumerIndex", long.class);
            LIMIT = MethodHandles.lookup().findVarHandle(Lane.class, "producerLimit", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Lane[] lanes;
    private final int laneCapacity;
    private final MilliStamp stamp;
    /** Slots of one lane one share may hold at once: laneCapacity / shares. */
    private volatile int quota;
    private int shares;

    RawEventRing(int capacity) {
        this(capacity, Stripes.COUNT, (Clock) null);
    }

    /**
     * @param laneCount a power of two; tests pick it, the runtime uses the stripe count
     * @param clock     the runtime's clock, for the shared stamp ({@link MilliStamp}); may be null
     */
    RawEventRing(int capacity, int laneCount, Clock clock) {
        this(capacity, laneCount, new MilliStamp(clock));
    }

    RawEventRing(int capacity, int laneCount, MilliStamp stamp) {
        if (Integer.bitCount(capacity) != 1 || Integer.bitCount(laneCount) != 1 || capacity < laneCount) {
            throw new IllegalArgumentException("capacity and lanes must be powers of two, capacity >= lanes; got "
                    + capacity + " and " + laneCount);
        }
        laneCapacity = capacity / laneCount;
        lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane(i, laneCapacity);
        }
        quota = laneCapacity;
        this.stamp = stamp;
    }

    RawEventRing(int capacity, int laneCount) {
        this(capacity, laneCount, (Clock) null);
    }

    MilliStamp stamp() {
        return stamp;
    }

    /** A new publisher's share; every share's bound becomes laneCapacity / shares. */
    synchronized Share newShare() {
        shares++;
        quota = Math.max(1, laneCapacity / shares);
        return new Share(lanes.length);
    }

    int lanes() {
        return lanes.length;
    }

    int laneCapacity() {
        return laneCapacity;
    }

    private Lane laneOf(int[] probe) {
        return lanes[probe[0] & (lanes.length - 1)];
    }

    /**
     * Whether an offer through {@code share} from this thread would be refused now: a caller can skip
     * what it would only do for an accepted event. Reads only; a false answer may still be followed
     * by a refused offer, when another thread takes the last slot first.
     */
    boolean refuses(Share share) {
        Lane lane = laneOf(Stripes.probe());
        return lane.refuses(share, (long) PRODUCER.getVolatile(lane), quota);
    }

    /** Offers one event stamped {@code epochMillis}; false when the share's part or the lane is full. Never blocks. */
    boolean offer(Share share, KpiAccumulator source, double value, long epochMillis, Map<String, String> meta) {
        return offer(share, source, value, epochMillis, null, meta);
    }

    /**
     * Offers one event stamped with {@code clock} once its slot is claimed: a refused offer reads no
     * clock, so a full ring refuses for less than it accepts.
     */
    boolean offerNow(Share share, KpiAccumulator source, double value, Clock clock) {
        return offer(share, source, value, 0L, clock, null);
    }

    private boolean offer(Share share, KpiAccumulator source, double value, long epochMillis, Clock clock,
                          Map<String, String> meta) {
        int[] probe = Stripes.probe();
        int q = quota;
        Lane lane = laneOf(probe);
        while (true) {
            long index = (long) PRODUCER.getVolatile(lane);
            if (lane.refuses(share, index, q)) {
                return false;
            }
            if (PRODUCER.compareAndSet(lane, index, index + 1)) {
                // Counted before the slot is published, so the consumer never hands back a slot the
                // share has not counted yet. Threads of one share that pass the check at once on one
                // lane each take one slot: the share may be over by one slot per such thread.
                share.claimedOne(lane.id);
                int slot = (int) index & lane.mask;
                lane.times[slot] = clock == null ? epochMillis : now(lane, clock);
                lane.values[slot] = value;
                lane.metadata[slot] = meta;
                lane.owners[slot] = share;
                SOURCES.setRelease(lane.sources, slot, source);
                return true;
            }
            // another thread of this stripe claimed the index first: move, as the rollup's stripes do
            lane = lanes[Stripes.advance(probe) & (lanes.length - 1)];
        }
    }

    /** The time of an event recorded now: the shared stamp when there is one and this lane may reuse it, else a reading. */
    private long now(Lane lane, Clock clock) {
        if (clock == stamp.clock) {
            long shared = stamp.get();
            // A plain count on the producers' line: threads of one lane may lose a decrement to each
            // other, which only lets a stamp serve a few more offers than REUSES.
            int left = lane.stampReuses;
            if (shared != MilliStamp.NONE && left > 0) {
                lane.stampReuses = left - 1;
                return shared;
            }
            long fresh = clock.millis();
            lane.stampReuses = MilliStamp.REUSES;
            stamp.renew(shared, fresh);
            return fresh;
        }
        return clock.millis();
    }

    /**
     * Moves up to {@code out}'s free room of events into {@code out}, lane after lane, starting at
     * the lane after the one the last drain started at; returns how many. Consumer thread only.
     */
    int drainTo(RingColumns out) {
        int n = 0;
        int start = out.nextLane;
        out.nextLane = (start + 1) & (lanes.length - 1);
        for (int k = 0; k < lanes.length; k++) {
            n += lanes[(start + k) & (lanes.length - 1)].drainTo(out);
        }
        return n;
    }

    /**
     * Refuses every later offer (each is then counted as a drop by its caller) and returns, per lane,
     * the index one past the last slot ever claimed: the consumer drains until it reaches them, so an
     * event whose slot was claimed before the close is delivered even if its producer is still
     * writing it.
     */
    long[] close() {
        long[] ends = new long[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            // Producers compare their claim against the consumer: a jump far ahead makes every later
            // claim look like a full lane, and no earlier claim is affected.
            ends[i] = (long) PRODUCER.getAndSet(lanes[i], CLOSED);
        }
        return ends;
    }

    /** Per lane, the index one past the last slot claimed so far (any thread). */
    long[] claimed() {
        long[] out = new long[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            out[i] = (long) PRODUCER.getVolatile(lanes[i]);
        }
        return out;
    }

    /** Whether the consumer has taken every slot before {@code ends} (from {@link #close()}). Consumer thread only. */
    boolean drainedTo(long[] ends) {
        for (int i = 0; i < lanes.length; i++) {
            if (lanes[i].consumerIndex < ends[i]) {
                return false;
            }
        }
        return true;
    }

    /** Read-only fields first, then the producer's line and the consumer's, each padded away from the rest. */
    abstract static class LaneFields {
        final int id;
        final int mask;
        final int capacity;
        final KpiAccumulator[] sources;
        final double[] values;
        final long[] times;
        final Object[] metadata;
        final Share[] owners;

        LaneFields(int id, int capacity) {
            this.id = id;
            this.capacity = capacity;
            this.mask = capacity - 1;
            sources = new KpiAccumulator[capacity];
            values = new double[capacity];
            times = new long[capacity];
            metadata = new Object[capacity];
            owners = new Share[capacity];
        }
    }

    @SuppressWarnings("unused")
    abstract static class LanePad1 extends LaneFields {
        private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

        LanePad1(int id, int capacity) {
            super(id, capacity);
        }
    }

    abstract static class LaneProducer extends LanePad1 {
        volatile long producerIndex;
        /**
         * consumerIndex + capacity as last read by a producer: below it no producer reads the
         * consumer's line. Written by producers in any order (any value written is a bound the
         * consumer has passed, so a stale one only makes a producer read the consumer index again),
         * with release and read with acquire, so a slot below it is seen emptied by the consumer.
         */
        long producerLimit;
        /** Offers that may still take the shared stamp before one reads the clock ({@link MilliStamp}). */
        int stampReuses;

        LaneProducer(int id, int capacity) {
            super(id, capacity);
            producerLimit = capacity;
        }
    }

    @SuppressWarnings("unused")
    abstract static class LanePad2 extends LaneProducer {
        private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

        LanePad2(int id, int capacity) {
            super(id, capacity);
        }
    }

    abstract static class LaneConsumer extends LanePad2 {
        /** Written by the consumer only, once per drain of the lane. */
        volatile long consumerIndex;

        LaneConsumer(int id, int capacity) {
            super(id, capacity);
        }
    }

    @SuppressWarnings("unused")
    static final class Lane extends LaneConsumer {
        private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

        Lane(int id, int capacity) {
            super(id, capacity);
        }

        /** Whether a claim of {@code index} by {@code share} must be refused: the lane is full, or the share's part is. */
        boolean refuses(Share share, long index, int quota) {
            long limit = (long) LIMIT.getAcquire(this);
            if (index >= limit) {
                limit = (long) CONSUMER.getAcquire(this) + capacity;
                if (index >= limit) {
                    return true; // full (or closed)
                }
                LIMIT.setRelease(this, limit);
            }
            // The limit lags the consumer (it is refreshed only when reached), so this overstates how
            // full the lane is: it never lets a share past its bound, at worst reads its counts needlessly.
            return index - (limit - capacity) >= quota && share.held(id) >= quota;
        }

        /** Consumer thread only. */
        int drainTo(RingColumns out) {
            int n = 0;
            int room = out.room();
            // Hand slots back to their shares per run of one owner, not per event: a publisher reads
            // its taken count whenever the lane is fuller than a share, and a write per event would
            // move its line back each time.
            Share owner = null;
            long run = 0;
            long index = consumerIndex;
            while (n < room) {
                int slot = (int) index & mask;
                KpiAccumulator source = (KpiAccumulator) SOURCES.getAcquire(sources, slot);
                if (source == null) {
                    break; // not yet published (or nothing there)
                }
                out.add(source, values[slot], times[slot], metadata[slot]);
                Share slotOwner = owners[slot];
                if (slotOwner != owner) {
                    release(owner, id, run);
                    owner = slotOwner;
                    run = 0;
                }
                run++;
                sources[slot] = null;
                metadata[slot] = null;
                owners[slot] = null;
                index++;
                n++;
            }
            release(owner, id, run);
            if (n > 0) {
                // Once per drain, not per event: producers read this line when they reach their limit.
                CONSUMER.setRelease(this, index);
            }
            out.laneEnds[id] = index;
            return n;
        }

        private static void release(Share owner, int lane, long slots) {
            if (owner != null) {
                owner.took(lane, slots);
            }
        }
    }

    /**
     * One publisher's part of the ring: per lane, how many slots it has claimed and how many of them
     * the consumer took, each count 128 bytes (two cache lines: the adjacent-line prefetcher pairs
     * them) from any other and away from the array's header and ends, so no field layout can put a
     * count written by one thread on a line another writes.
     */
    static final class Share {
        private static final int PAD = 16;
        private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

        /** Lane l's claims at {@code (2l + 1) * PAD}, its slots taken back at {@code (2l + 2) * PAD}. */
        private final long[] counts;

        private Share(int lanes) {
            counts = new long[(2 * lanes + 2) * PAD];
        }

        private void claimedOne(int lane) {
            COUNTS.getAndAdd(counts, (2 * lane + 1) * PAD, 1L);
        }

        /** Consumer thread only. */
        private void took(int lane, long slots) {
            int i = (2 * lane + 2) * PAD;
            COUNTS.setRelease(counts, i, (long) COUNTS.getOpaque(counts, i) + slots);
        }

        /** Slots of a lane claimed and not yet taken; never below the truth at the moment the taken count is read. */
        private long held(int lane) {
            long taken = (long) COUNTS.getAcquire(counts, (2 * lane + 2) * PAD); // first: claims only grow
            return (long) COUNTS.getVolatile(counts, (2 * lane + 1) * PAD) - taken;
        }
    }
}
