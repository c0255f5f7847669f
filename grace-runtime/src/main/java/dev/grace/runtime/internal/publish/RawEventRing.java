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
 * slots. A thread offers into the lane of its stripe, the one its rollup adds go to, so threads up
 * to the stripe count never write one line. A lane is claimed the way the rollup's cells are: one
 * compare-and-set takes its try-lock, the slot and the lane's counts are written with plain stores,
 * and one release store publishes the new producer index and frees the lock. A thread that finds the
 * lock taken moves to another stripe, as the rollup does; one whose moves all find a lane taken
 * tries every lane in turn, twice ({@link #inTurn}), and only then gives the event up (counted as a
 * drop) rather than wait. The consumer reads a lane's producer index once per drain and publishes
 * its own once. Nothing here allocates, waits or signals. A thread whose lane is full offers into
 * the next lane that is not ({@link #inTurn}), so a single busy thread can fill the whole ring while
 * the raw-event thread is held up; a full ring refuses the offer at once and the caller counts the
 * drop. An offer that found every lane full marks the ring full as of the consumer's last drain
 * ({@link FullMark}); until the next drain, an offer whose own lane is full reads that mark and is
 * refused without visiting the other lanes, so a flood's refusal stays cheaper than an accepted offer.
 *
 * <p><b>The stage.</b> A claimed value goes first to its lane's stage, a small array only producers
 * write, and every {@link #STAGE}th claim copies the stage to the slots and publishes them together
 * ({@link Lane#staged} says why that is faster). A stage is also published when its lane is found
 * full, when the ring closes, and by the consumer when the lane is quiet: every published slot
 * drained and none published since the drain before ({@link Lane#publishStageIfCaughtUp}). A drain
 * of a quiet lane takes every value claimed before it that its room allows, as it did when each
 * claim published its slot; a busy lane's stage fills within {@link #STAGE} claims.
 *
 * <p><b>Runs.</b> A slot holds only the event's value. What consecutive events of a lane share, the
 * accumulator (KPI and series), the publisher's share and the time stamp (a millisecond, shared by
 * every event of that millisecond, see {@link MilliStamp}), is kept once per run of events, in a
 * second ring of as many entries as the lane has slots: a run starts when any of them changes or
 * the event carries metadata (such an event is a run of its own). Every slot line the producer
 * writes has to move to the consumer's core and back, and that traffic, not the instructions, is
 * most of what an offer costs: one {@code double} per event is an eighth of a line, where a time,
 * a value and two references per slot were about three eighths (40 → 28 ns a record with one
 * thread, docs/benchmarks.md). Runs cost more only when every event differs from the one before in
 * its lane (interleaved KPIs): then a run per event is written, about as many stores as a slot of
 * its own took before.
 *
 * <p><b>Fair shares.</b> Every publisher offers through its own {@link Share}, and no share may hold
 * more than {@code laneCapacity / shares} slots of a lane at once: a plugin that floods fills its own
 * part of each lane and drops its own raw events, while the rest stays free for the others. A share
 * counts its claims per lane under the lane's lock; the count is read only when the lane holds at
 * least a share's worth of slots, since below that no share can be over its bound.
 */
final class RawEventRing {

    private static final VarHandle PRODUCER;
    private static final VarHandle CONSUMER;
    private static final VarHandle LOCK;
    private static final VarHandle RUNS;
    private static final VarHandle CONSUMER_RUN;
    private static final VarHandle STAGED;
    /** Values a lane stages before it copies them to its slots in one burst ({@link Lane#staged}): 8 cache lines of {@code double}s. */
    static final int STAGE = 64;

    static {
        try {
            PRODUCER = MethodHandles.lookup().findVarHandle(Lane.class, "producerIndex", long.class);
            CONSUMER = MethodHandles.lookup().findVarHandle(Lane.class, "consumerIndex", long.class);
            LOCK = MethodHandles.lookup().findVarHandle(Lane.class, "lock", int.class);
            RUNS = MethodHandles.lookup().findVarHandle(Lane.class, "runCount", long.class);
            CONSUMER_RUN = MethodHandles.lookup().findVarHandle(Lane.class, "consumerRun", long.class);
            STAGED = MethodHandles.lookup().findVarHandle(Lane.class, "stagedCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Lane[] lanes;
    private final int laneCapacity;
    private final MilliStamp stamp;
    private final FullMark full = new FullMark();
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

    /** Lane {@code i}: for tests that hold its lock as a descheduled producer would. */
    Lane lane(int i) {
        return lanes[i];
    }

    /** Whether the ring is marked full since the last drain: for tests. */
    boolean markedFull() {
        return full.since(full.drains());
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
        if (!LOCK.compareAndSet(lane, 0, 1)) {
            return false; // taken: the offer will look elsewhere
        }
        boolean refused = lane.closed || lane.refuses(share, lane.producerIndex + lane.stagedCount, quota);
        LOCK.setRelease(lane, 0);
        return refused;
    }

    /** Offers one event stamped {@code epochMillis}; false when the share's part or the lane is full. Never blocks. */
    boolean offer(Share share, KpiAccumulator source, double value, long epochMillis, Map<String, String> meta) {
        return offer(share, source, value, epochMillis, null, meta, Stripes.probe());
    }

    /**
     * Offers one event stamped with {@code clock} once its slot is claimed: a refused offer reads no
     * clock, so a full ring refuses for less than it accepts.
     */
    boolean offerNow(Share share, KpiAccumulator source, double value, Clock clock) {
        return offer(share, source, value, 0L, clock, null, Stripes.probe());
    }

    /** {@link #offerNow(Share, KpiAccumulator, double, Clock)} with the thread's probe, read once by the caller for its rollup add too. */
    boolean offerNow(Share share, KpiAccumulator source, double value, Clock clock, int[] probe) {
        return offer(share, source, value, 0L, clock, null, probe);
    }

    private boolean offer(Share share, KpiAccumulator source, double value, long epochMillis, Clock clock,
                          Map<String, String> meta, int[] probe) {
        int q = quota;
        int mask = lanes.length - 1;
        for (int tries = 0; tries < lanes.length; tries++) {
            Lane lane = lanes[probe[0] & mask];
            if (lane.seemsFull()) {
                // Without the lock's compare-and-set, so that a flood's refusal costs less than an
                // accepted offer; the lane was full when read, which is what a refusal under the lock
                // also means (a slot freed a moment later is as late in both).
                return spill(share, source, value, epochMillis, clock, meta, q, probe[0] + 1);
            }
            if (LOCK.compareAndSet(lane, 0, 1)) {
                return claim(lane, share, source, value, epochMillis, clock, meta, q);
            }
            // another thread of this stripe holds the lane: move, as the rollup's stripes do
            Stripes.advance(probe);
        }
        return inTurn(share, source, value, epochMillis, clock, meta, q, 0, 2 * lanes.length); // sweep
    }

    /**
     * The offer of a thread whose own lane is full: refused at once while the ring is marked full
     * since the last drain, else offered to the other lanes in turn ({@link #inTurn}); when every
     * lane was full (not merely held by another thread), the ring is marked full.
     */
    private boolean spill(Share share, KpiAccumulator source, double value, long epochMillis, Clock clock,
                          Map<String, String> meta, int q, int first) {
        long drains = full.drains();
        if (full.since(drains)) {
            return false;
        }
        if (inTurn(share, source, value, epochMillis, clock, meta, q, first, lanes.length - 1)) {
            return true;
        }
        for (Lane lane : lanes) {
            if (!lane.seemsFull()) {
                return false; // a lane held, not full: the next offer looks again
            }
        }
        full.mark(drains);
        return false;
    }

    /**
     * The offer past {@link #offer}'s own lane, trying {@code tries} lanes in turn from
     * {@code first} (wrapping), pausing after each one whose lock is taken:
     * <ul>
     *   <li><b>spill</b>: the thread's own lane is full, so the other lanes once, from the next
     *       one. One busy thread (or a few) can then use the whole ring rather than its
     *       lane's quarter while the raw-event thread is held up (a database commit, a descheduled
     *       consumer); the probe stays, since the thread's own lane is the first to free up. A full
     *       ring is refused having read each lane's indexes once and taken no lock.</li>
     *   <li><b>sweep</b>: the random moves all found a lane taken, so every lane, twice, from lane 0.
     *       A thread descheduled while it holds a lane (a few stores long) keeps it for a time slice,
     *       and on a loaded machine several can at once; random moves may keep landing on those while
     *       another lane is free (RunSigTermTest, beside two busy loops, lost raw events that way).</li>
     * </ul>
     * Only then is the event given up rather than waited for.
     */
    private boolean inTurn(Share share, KpiAccumulator source, double value, long epochMillis, Clock clock,
                           Map<String, String> meta, int q, int first, int tries) {
        for (int k = 0; k < tries; k++) {
            Lane lane = lanes[(first + k) & (lanes.length - 1)];
            if (lane.seemsFull()) {
                continue;
            }
            if (LOCK.compareAndSet(lane, 0, 1)) {
                return claim(lane, share, source, value, epochMillis, clock, meta, q);
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /**
     * Claims the lane's next slot for the event, or refuses it; called holding the lane's lock, which
     * it frees. The value is staged ({@link Lane#staged}); the stage's {@link #STAGE}th value copies
     * the stage to its slots and publishes them.
     */
    private boolean claim(Lane lane, Share share, KpiAccumulator source, double value, long epochMillis, Clock clock,
                          Map<String, String> meta, int q) {
        int k = lane.stagedCount;
        long index = lane.producerIndex + k; // the slot this event will take
        if (lane.closed || lane.refuses(share, index, q)) {
            return refuse(lane);
        }
        long at = clock == null ? epochMillis : now(lane, clock);
        if (!lane.continuesRun(source, share, at, meta) && !lane.startRun(index, source, share, at, meta)) {
            return refuse(lane); // the lane's runs are all taken: only when nearly every slot is a run of its own
        }
        // The one per-event store, to the stage: within a run, the KPI, the publisher and the time
        // are the run's.
        lane.staged[k] = value;
        // Counted before the slot is published, so the consumer never hands back a slot the
        // share has not counted yet.
        share.claimedOne(lane.id);
        lane.stagedCount = k + 1; // a plain store: the consumer reads it only to decide whether to take the lock
        if (k + 1 == STAGE) {
            lane.publishStage();
        }
        LOCK.setRelease(lane, 0);
        return true;
    }

    /**
     * Refuses a claim, holding the lane's lock, which it frees. What is staged is published first: a
     * lane that refuses has no room (or no run) for the next value, so the stage would wait for room
     * that will not come until the consumer has these.
     */
    private static boolean refuse(Lane lane) {
        if (lane.stagedCount > 0) {
            lane.publishStage();
        }
        LOCK.setRelease(lane, 0);
        return false;
    }

    /** The time of an event recorded now: the shared stamp when there is one and this lane may reuse it, else a reading. Under the lane's lock. */
    private long now(Lane lane, Clock clock) {
        if (clock == stamp.clock) {
            long shared = stamp.get();
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
            Lane lane = lanes[(start + k) & (lanes.length - 1)];
            boolean quiet = lane.quiet();
            n += lane.drainTo(out);
            if (quiet && out.room() > 0 && lane.publishStageIfCaughtUp()) {
                n += lane.drainTo(out);
            }
        }
        if (n > 0) {
            full.drained(); // after the lanes' consumer indexes: a full mark from before is stale
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
            Lane lane = lanes[i];
            lane.lockWaiting();
            if (lane.stagedCount > 0) {
                lane.publishStage(); // delivered with the rest: these were accepted
            }
            lane.closed = true;
            ends[i] = lane.producerIndex;
            LOCK.setRelease(lane, 0);
        }
        return ends;
    }

    /**
     * Per lane, the index one past the last slot claimed so far, staged values included: each lane's
     * lock is taken for the two reads, so they agree (for a waiting caller, never a publisher). The
     * consumer publishes a stage when its lane fills it or goes quiet ({@link #drainTo}), so every
     * index below it is delivered in time.
     */
    long[] claimed() {
        long[] out = new long[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            Lane lane = lanes[i];
            lane.lockWaiting();
            out[i] = lane.producerIndex + lane.stagedCount;
            LOCK.setRelease(lane, 0);
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
        /** Per slot: the event's value, the only thing written per event. */
        final double[] values;
        /** Per run: its first slot's index, and what every event of the run shares. */
        final long[] runStarts;
        final KpiAccumulator[] runSources;
        final Share[] runOwners;
        final long[] runTimes;
        final Object[] runMetadata;

        LaneFields(int id, int capacity) {
            this.id = id;
            this.capacity = capacity;
            this.mask = capacity - 1;
            values = new double[capacity];
            runStarts = new long[capacity];
            runSources = new KpiAccumulator[capacity];
            runOwners = new Share[capacity];
            runTimes = new long[capacity];
            runMetadata = new Object[capacity];
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
        /** The try-lock producers take to claim a slot: 1 while one holds it. */
        volatile int lock;
        /** One past the last slot published; written under the lock with release, read by the consumer with acquire. */
        volatile long producerIndex;
        /** consumerIndex + capacity as last read: below it no producer reads the consumer's line. Under the lock. */
        long producerLimit;
        /** Runs started; written under the lock with release before the slot that starts the run is published. */
        long runCount;
        /** consumerRun + capacity as last read: below it a run can start without reading the consumer's line. Under the lock. */
        long runLimit;
        /** The open run's source, owner and time; a null source when no run may be continued. Under the lock. */
        KpiAccumulator runSource;
        Share runOwner;
        long runTime;
        /** Offers that may still take the shared stamp before one reads the clock ({@link MilliStamp}). Under the lock. */
        int stampReuses;
        /** Refuses every offer from now on. Under the lock. */
        boolean closed;
        /**
         * Values claimed and not yet in their slots, the next {@code stagedCount} slots from the
         * producer index: a record stores its value here and the stage is copied to the slots in one
         * burst ({@link RawEventRing#STAGE} values, 8 lines). A slot line the consumer has read must
         * come back to the producer's core before the producer can write it, and each record's
         * compare-and-sets wait for its stores to finish; storing to the slots one record at a time
         * paid that wait once per line, one line after another (30-34 ns a record with 1 thread
         * when the two threads run on cores that share no cache), while a burst of 8 lines waits for
         * them together (18-22 ns; docs/benchmarks.md, "The stage"). An array of its own, so its
         * lines stay in the producer's cache: the consumer reads it only to publish a stage the
         * producers left ({@link #publishStageIfCaughtUp}). Under the lock.
         */
        final double[] staged = new double[STAGE];
        /**
         * How many of {@link #staged} hold values. Under the lock; read racily by {@link #seemsFull}
         * and by the consumer, only to decide whether to take the lock.
         */
        int stagedCount;

        LaneProducer(int id, int capacity) {
            super(id, capacity);
            producerLimit = capacity;
            runLimit = capacity;
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
        /**
         * The run holding the slot at consumerIndex, or the last run when every slot is taken (the
         * producer may still continue it); runs before it are free. Written by the consumer once per drain.
         */
        volatile long consumerRun;
        /** The producer index as the last {@link #quiet()} read it, or as the consumer's own publication of a stage left it. Consumer thread only. */
        long seenProducerIndex;

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

        /**
         * Whether the lane was full when read, without its lock: the producer index at or past the
         * limit the last claim saw, and past the consumer's index plus the capacity. Racy reads, both
         * of values that only grow; false whenever in doubt, and then the offer takes the lock.
         */
        boolean seemsFull() {
            long index = producerIndex + stagedCount;
            return index >= producerLimit && index >= (long) CONSUMER.getAcquire(this) + capacity;
        }

        /** Takes the lock, waiting for a producer that holds it (for a few stores): for the close and {@link RawEventRing#claimed()}, never a publisher. */
        void lockWaiting() {
            while (!LOCK.compareAndSet(this, 0, 1)) {
                Thread.onSpinWait();
            }
        }

        /**
         * Copies the stage to its slots and publishes them. Under the lock: a producer's, or the
         * consumer's ({@link #publishStageIfCaughtUp}).
         */
        void publishStage() {
            int k = stagedCount;
            long index = producerIndex;
            int from = (int) index & mask;
            int n = Math.min(k, capacity - from);
            System.arraycopy(staged, 0, values, from, n);
            if (n < k) {
                System.arraycopy(staged, n, values, 0, k - n); // the stage wraps past the array's end
            }
            PRODUCER.setRelease(this, index + k);
            STAGED.setOpaque(this, 0);
        }

        /**
         * Consumer thread only, for a lane that is {@link #quiet()}: publishes what producers left
         * staged once every published slot is drained. The drain that finds it so takes the stage
         * too, so a lane whose producers went quiet (or record a value now and then) waits for no
         * further claims. A lane still publishing is left alone, since its stage fills soon enough
         * and taking the lock and the stage's line from a producer that is writing them would cost
         * it a wait; so is a lane whose lock is taken, until the next drain.
         *
         * @return whether a stage was published
         */
        boolean publishStageIfCaughtUp() {
            if ((int) STAGED.getOpaque(this) == 0 || (long) PRODUCER.getAcquire(this) != consumerIndex) {
                return false;
            }
            if (!LOCK.compareAndSet(this, 0, 1)) {
                return false;
            }
            boolean staged = stagedCount > 0;
            if (staged) {
                publishStage();
                seenProducerIndex = producerIndex; // its own publication does not make the lane busy
            }
            LOCK.setRelease(this, 0);
            return staged;
        }

        /**
         * Whether no slot was published since the last drain looked, which this records. Consumer
         * thread only: the condition, besides being caught up, for {@link #publishStageIfCaughtUp}.
         */
        boolean quiet() {
            long published = (long) PRODUCER.getAcquire(this);
            boolean quiet = published == seenProducerIndex;
            seenProducerIndex = published;
            return quiet;
        }

        /** Whether a claim of {@code index} by {@code share} must be refused: the lane is full, or the share's part is. Under the lock. */
        boolean refuses(Share share, long index, int quota) {
            long limit = producerLimit;
            if (index >= limit) {
                limit = (long) CONSUMER.getAcquire(this) + capacity;
                if (index >= limit) {
                    return true; // full
                }
                producerLimit = limit;
            }
            // The limit lags the consumer (it is refreshed only when reached), so this overstates how
            // full the lane is: it never lets a share past its bound, at worst reads its counts needlessly.
            return index - (limit - capacity) >= quota && share.held(id) >= quota;
        }

        /** Whether the event belongs to the open run: same KPI, publisher and time, and no metadata. Under the lock. */
        boolean continuesRun(KpiAccumulator source, Share share, long at, Object meta) {
            return source == runSource && share == runOwner && at == runTime && meta == null;
        }

        /**
         * Starts a run at slot {@code index}; false when every run is taken (then the lane holds as
         * many runs as slots, all but one unread). Under the lock.
         */
        boolean startRun(long index, KpiAccumulator source, Share share, long at, Object meta) {
            long run = runCount;
            if (run >= runLimit) {
                runLimit = (long) CONSUMER_RUN.getAcquire(this) + capacity;
                if (run >= runLimit) {
                    return false;
                }
            }
            int r = (int) run & mask;
            runStarts[r] = index;
            // A reference store into an old array costs G1 a StoreLoad fence in its card-marking
            // barrier: skip the ones that change nothing (the run this one replaces held the same
            // KPI and publisher, the common case), and the metadata store when there is none, since
            // the consumer nulls a run's metadata before the run is reused.
            if (runSources[r] != source) {
                runSources[r] = source;
            }
            if (runOwners[r] != share) {
                runOwners[r] = share;
            }
            runTimes[r] = at;
            if (meta != null) {
                runMetadata[r] = meta;
            }
            RUNS.setRelease(this, run + 1);
            // An event with metadata is a run of its own: the next event starts another.
            runSource = meta == null ? source : null;
            runOwner = share;
            runTime = at;
            return true;
        }

        /** Consumer thread only. */
        int drainTo(RingColumns out) {
            long index = consumerIndex;
            long end = Math.min((long) PRODUCER.getAcquire(this), index + out.room());
            if (end == index) {
                out.laneEnds[id] = index;
                return 0;
            }
            // Read after the producer index: every run that starts before end is visible.
            long runs = (long) RUNS.getAcquire(this);
            long run = consumerRun;
            int n = (int) (end - index);
            while (index < end) {
                int r = (int) run & mask;
                long next = run + 1 < runs ? runStarts[(int) (run + 1) & mask] : Long.MAX_VALUE;
                long upTo = Math.min(next, end);
                int length = (int) (upTo - index);
                Object meta = runMetadata[r];
                out.addRun(runSources[r], runTimes[r], meta, values, (int) index & mask, length);
                if (meta != null) {
                    runMetadata[r] = null; // a run with metadata is one event: a host's map is not kept past it
                }
                // Slots go back to their share per run, not per event: a publisher reads its taken
                // count whenever the lane is fuller than a share, and a write per event would move
                // its line back each time.
                runOwners[r].took(id, length);
                index = upTo;
                if (index == next) {
                    run++;
                }
            }
            // Once per drain, not per event: producers read these when they reach their limits.
            CONSUMER_RUN.setRelease(this, run);
            CONSUMER.setRelease(this, index);
            out.laneEnds[id] = index;
            return n;
        }
    }

    /**
     * Whether every lane was found full since the consumer's last drain: the count of drains that
     * moved events, and the count an offer read before it found every lane full. Each on a line of
     * its own: producers read both only while their own lane is full, the consumer writes its count
     * once per drain and producers write the mark once per drain at most.
     */
    @SuppressWarnings("unused")
    static final class FullMark {
        private static final VarHandle DRAINS;
        private static final VarHandle MARK;

        static {
            try {
                DRAINS = MethodHandles.lookup().findVarHandle(FullMark.class, "drains", long.class);
                MARK = MethodHandles.lookup().findVarHandle(FullMark.class, "markedAt", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
        /** Drains that moved events. Written by the consumer only. */
        private long drains;
        private long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
        /** {@link #drains} as read by an offer that then found every lane full; -1 for none. */
        private long markedAt = -1;
        private long r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;

        long drains() {
            return (long) DRAINS.getAcquire(this);
        }

        /**
         * Whether an offer that read {@code drains} may take the ring for full: another found every
         * lane full with no drain since. A drain under way (lanes read, count not yet written) is
         * seen a moment late, as a slot freed a moment after a lane was read would be.
         */
        boolean since(long drains) {
            return (long) MARK.getOpaque(this) == drains;
        }

        /** Marks the ring full as of {@code drains}, read before every lane was found full; once per drain. */
        void mark(long drains) {
            if ((long) MARK.getOpaque(this) != drains) {
                MARK.setOpaque(this, drains);
            }
        }

        /** Consumer only: a drain moved events, so no earlier mark holds. */
        void drained() {
            DRAINS.setRelease(this, (long) DRAINS.getOpaque(this) + 1);
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

        /** Lane l's claims at {@code (2l + 1) * PAD} (written under its lock), its slots taken back at {@code (2l + 2) * PAD} (by the consumer). */
        private final long[] counts;

        private Share(int lanes) {
            counts = new long[(2 * lanes + 2) * PAD];
        }

        /** Under the lane's lock: no other thread writes this count meanwhile. */
        private void claimedOne(int lane) {
            int i = (2 * lane + 1) * PAD;
            counts[i] = counts[i] + 1;
        }

        /** Consumer thread only. */
        private void took(int lane, long slots) {
            int i = (2 * lane + 2) * PAD;
            COUNTS.setRelease(counts, i, (long) COUNTS.getOpaque(counts, i) + slots);
        }

        /** Slots of a lane claimed and not yet taken. Under the lane's lock. */
        private long held(int lane) {
            return counts[(2 * lane + 1) * PAD] - (long) COUNTS.getAcquire(counts, (2 * lane + 2) * PAD);
        }
    }
}
