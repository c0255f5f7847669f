package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RawEventRingTest {

    private static final Kpi COUNT = Kpi.builder("count", Kpi.Unit.COUNT).range(0, 1e12).build();
    private final RollupRegistry rollups = new RollupRegistry(Clock.systemUTC(), Duration.ofHours(2), 2);
    private final KpiAccumulator source = rollups.register("p", "d", COUNT);

    @Test
    void aFullShareIsRefusedWhileAnotherShareKeepsItsHalfAndDrainingFreesIt() {
        RawEventRing ring = new RawEventRing(16, 1);
        RawEventRing.Share flood = ring.newShare();
        RawEventRing.Share paced = ring.newShare();

        assertThat(offerUntilRefused(ring, flood, 100)).isEqualTo(8);
        assertThat(ring.refuses(flood)).isTrue();
        assertThat(ring.refuses(paced)).isFalse();
        assertThat(offerUntilRefused(ring, paced, 100)).isEqualTo(8);
        assertThat(ring.refuses(paced)).isTrue();

        RingColumns out = new RingColumns(4, 1);
        assertThat(ring.drainTo(out)).isEqualTo(4); // the flood's four oldest
        out.clear();
        assertThat(ring.refuses(flood)).isFalse();
        assertThat(offerUntilRefused(ring, flood, 100)).isEqualTo(4);
        assertThat(ring.refuses(paced)).isTrue();
    }

    @Test
    void twoThreadsOfOneShareOnOneLaneNeverTakeMoreThanItsBound() throws Exception {
        for (int round = 0; round < 50; round++) {
            RawEventRing ring = new RawEventRing(1024, 1);
            RawEventRing.Share flood = ring.newShare();
            ring.newShare(); // the bound is 512
            AtomicInteger accepted = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Runnable offer = () -> {
                await(go);
                accepted.addAndGet(offerUntilRefused(ring, flood, 10_000));
            };
            Thread a = new Thread(offer);
            Thread b = new Thread(offer);
            a.start();
            b.start();
            go.countDown();
            a.join();
            b.join();
            assertThat(accepted.get()).isEqualTo(512);
        }
    }

    @Test
    void aClosedRingRefusesEveryShareAndReportsWhereEachLaneEnded() {
        RawEventRing ring = new RawEventRing(16, 2);
        RawEventRing.Share share = ring.newShare();
        assertThat(ring.offer(share, source, 1.0, 0L, null)).isTrue();
        long[] ends = ring.close();
        assertThat(ends[0] + ends[1]).isEqualTo(1);
        assertThat(ring.refuses(share)).isTrue();
        assertThat(ring.offer(share, source, 1.0, 0L, null)).isFalse();
        assertThat(ring.offerNow(share, source, 1.0, Clock.systemUTC())).isFalse();
        RingColumns out = new RingColumns(16, 2);
        assertThat(ring.drainedTo(ends)).isFalse();
        assertThat(ring.drainTo(out)).isEqualTo(1);
        assertThat(ring.drainedTo(ends)).isTrue();
    }

    @Test
    void aLaneStagesValuesAndPublishesThemAStageAtATimeWhileTheDrainThatCatchesUpTakesTheRest() {
        RawEventRing ring = new RawEventRing(1024, 1);
        RawEventRing.Share share = ring.newShare();
        RawEventRing.Lane lane = ring.lane(0);
        int claimed = RawEventRing.STAGE + 5;
        for (int i = 0; i < claimed; i++) {
            assertThat(ring.offer(share, source, i, 1_000, null)).isTrue();
        }
        // the STAGE-th claim copied its stage to the slots; the five after it wait in the stage
        assertThat(lane.producerIndex).isEqualTo(RawEventRing.STAGE);
        assertThat(lane.stagedCount).isEqualTo(5);
        assertThat(ring.claimed()).as("awaitDelivered waits for staged values too").containsExactly(claimed);

        RingColumns out = new RingColumns(10, 1);
        assertThat(ring.drainTo(out)).isEqualTo(10);
        assertThat(lane.stagedCount).as("a drain that has not caught up leaves the producers' stage alone")
                .isEqualTo(5);
        out.clear();
        RingColumns rest = new RingColumns(1024, 1);
        assertThat(ring.drainTo(rest)).as("the drain that catches up with the quiet lane publishes its stage and takes it")
                .isEqualTo(claimed - 10);
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.value(i)).isEqualTo(10.0 + i);
        }
        assertThat(lane.stagedCount).isZero();
        assertThat(ring.drainedTo(new long[] {claimed})).isTrue();
    }

    @Test
    void aLaneFullOfStagedValuesIsSeenFullAndMarkedFullAndItsStageIsDrained() {
        // a lane of 32 slots never fills a stage of 64
        RawEventRing ring = new RawEventRing(32, 1);
        RawEventRing.Share share = ring.newShare();
        assertThat(offerUntilRefused(ring, share, 100)).isEqualTo(32);
        assertThat(ring.lane(0).producerIndex).as("all 32 still staged").isZero();
        assertThat(ring.lane(0).seemsFull()).as("staged values count").isTrue();
        assertThat(ring.offer(share, source, 1, 1_000, null)).isFalse();
        assertThat(ring.markedFull()).isTrue();
        RingColumns out = new RingColumns(64, 1);
        assertThat(ring.drainTo(out)).as("the drain of a quiet lane takes its stage").isEqualTo(32);
        assertThat(ring.markedFull()).isFalse();
    }

    @Test
    void aStageLeftByAProducerHoldingTheLaneIsPublishedByALaterDrainAndByTheClose() {
        RawEventRing ring = new RawEventRing(256, 1);
        RawEventRing.Share share = ring.newShare();
        for (int i = 0; i < 3; i++) {
            assertThat(ring.offer(share, source, i, 1_000, null)).isTrue();
        }
        RingColumns out = new RingColumns(256, 1);
        ring.lane(0).lock = 1; // a producer descheduled while it holds the lane
        assertThat(ring.drainTo(out)).isZero();
        ring.lane(0).lock = 0;
        assertThat(ring.drainTo(out)).isEqualTo(3);
        out.clear();
        assertThat(ring.offer(share, source, 3, 1_000, null)).isTrue();
        long[] ends = ring.close();
        assertThat(ends).containsExactly(4);
        assertThat(ring.drainTo(out)).isEqualTo(1);
        assertThat(out.value(0)).isEqualTo(3.0);
        assertThat(ring.drainedTo(ends)).isTrue();
    }

    @Test
    void aLaneThatPublishedSinceTheLastDrainKeepsItsStageUntilItIsQuiet() {
        RawEventRing ring = new RawEventRing(1024, 1);
        RawEventRing.Share share = ring.newShare();
        RingColumns out = new RingColumns(1024, 1);
        for (int i = 0; i < RawEventRing.STAGE + 3; i++) {
            assertThat(ring.offer(share, source, i, 1_000, null)).isTrue();
        }
        // a producer may be writing the stage now: taking its lock and its line would make it wait
        assertThat(ring.drainTo(out)).isEqualTo(RawEventRing.STAGE);
        assertThat(ring.lane(0).stagedCount).isEqualTo(3);
        out.clear();
        assertThat(ring.drainTo(out)).as("nothing published since: quiet").isEqualTo(3);
        assertThat(out.value(2)).isEqualTo(RawEventRing.STAGE + 2.0);
    }

    @Test
    void slotsAreReusedAcrossManyWraparoundsInOrderWithTheirTimeValueAndMetadata() {
        RawEventRing ring = new RawEventRing(8, 1);
        RawEventRing.Share share = ring.newShare();
        RingColumns out = new RingColumns(3, 1);
        Map<String, String> meta = Map.of("k", "v");
        long next = 0;
        long expected = 0;
        for (int round = 0; round < 2_000; round++) {
            // fill to the brim (8 slots), then a refusal, then drain a few: the indexes wrap the slots ~750 times
            while (ring.offer(share, source, next, 1_000 + next, next % 3 == 0 ? meta : null)) {
                next++;
            }
            assertThat(next - expected).isEqualTo(8);
            int n = ring.drainTo(out);
            assertThat(n).isEqualTo(3);
            for (int i = 0; i < n; i++, expected++) {
                assertThat(out.value(i)).isEqualTo((double) expected);
                assertThat(out.epochMillis(i)).isEqualTo(1_000 + expected);
                assertThat(out.metadata(i)).isEqualTo(expected % 3 == 0 ? meta : null);
                assertThat(out.pluginId(i)).isEqualTo("p");
                assertThat(out.kpi(i)).isEqualTo("count");
            }
            out.clear();
        }
    }

    @Test
    void runsOfSharedTimeAndKpiSpanTheRingsEndAndKeepEachEventsValue() {
        // events share a run while KPI, share and time repeat: runs of 5 events on 8 slots, drained in
        // pieces of 3, so runs are split between drains and cross the slots' wrap point
        KpiAccumulator other = rollups.register("q", "d", Kpi.builder("other", Kpi.Unit.COUNT).range(0, 1e12).build());
        RawEventRing ring = new RawEventRing(8, 1);
        RawEventRing.Share share = ring.newShare();
        RingColumns out = new RingColumns(3, 1);
        long offered = 0;
        long taken = 0;
        for (int round = 0; round < 3_000; round++) {
            while (offered - taken < 8) {
                long run = offered / 5;
                assertThat(ring.offer(share, run % 2 == 0 ? source : other, offered, 1_000 + run, null)).isTrue();
                offered++;
            }
            int n = ring.drainTo(out);
            assertThat(n).isEqualTo(3);
            for (int i = 0; i < n; i++, taken++) {
                long run = taken / 5;
                assertThat(out.value(i)).isEqualTo((double) taken);
                assertThat(out.epochMillis(i)).isEqualTo(1_000 + run);
                assertThat(out.kpi(i)).isEqualTo(run % 2 == 0 ? "count" : "other");
            }
            out.clear();
        }
    }

    @Test
    void whenEveryEventIsARunOfItsOwnALaneHoldsAllButOneSlotAfterAFullDrain() {
        // the consumer keeps the last run after taking every slot (the producer may continue it), so
        // a lane of 8 whose events all differ holds 7 before its runs are all taken; refused, not lost
        RawEventRing ring = new RawEventRing(8, 1);
        RawEventRing.Share share = ring.newShare();
        RingColumns out = new RingColumns(8, 1);
        for (int i = 0; i < 8; i++) {
            assertThat(ring.offer(share, source, i, i, null)).isTrue();
        }
        assertThat(ring.drainTo(out)).isEqualTo(8);
        out.clear();
        int accepted = 0;
        while (accepted < 100 && ring.offer(share, source, accepted, 100 + accepted, null)) {
            accepted++;
        }
        assertThat(accepted).isEqualTo(7);
        // events continuing the open run still fit the last slot
        assertThat(ring.offer(share, source, 7, 100 + 6, null)).isTrue();
        assertThat(drainAll(ring, out)).isEqualTo(8);
        assertThat(out.epochMillis(7)).isEqualTo(106);
    }

    @Test
    void aReusedSlotCarriesItsOwnEventsKpiAndShareNotTheLastLapsWhenTheyChange() {
        // the ring skips a reference store that changes nothing: a slot whose source or share differs
        // from its last lap's must still be written, and the slot handed back to the right share
        KpiAccumulator other = rollups.register("q", "d", Kpi.builder("other", Kpi.Unit.COUNT).range(0, 1e12).build());
        RawEventRing ring = new RawEventRing(8, 1);
        RawEventRing.Share first = ring.newShare();
        RawEventRing.Share second = ring.newShare(); // each may hold 4 slots
        RingColumns out = new RingColumns(8, 1);
        for (int round = 0; round < 500; round++) {
            // 3 events per round on 8 slots: each slot sees every mix of source and share over the rounds
            for (int i = 0; i < 3; i++) {
                long n = round * 3L + i;
                boolean odd = n % 5 < 2;
                assertThat(ring.offer(odd ? second : first, odd ? other : source, n, n, null)).isTrue();
            }
            assertThat(ring.drainTo(out)).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                long n = round * 3L + i;
                assertThat(out.kpi(i)).isEqualTo(n % 5 < 2 ? "other" : "count");
                assertThat(out.pluginId(i)).isEqualTo(n % 5 < 2 ? "q" : "p");
            }
            out.clear();
        }
        // every slot was handed back to the share that claimed it: each can fill its 4 again
        assertThat(offerUntilRefused(ring, first, 100)).isEqualTo(4);
        assertThat(offerUntilRefused(ring, second, 100)).isEqualTo(4);
    }

    @Test
    void concurrentWritersOnEveryLaneLoseNothingAcceptedAndDuplicateNothing() throws Exception {
        int writers = 4;
        int perWriter = 200_000;
        RawEventRing ring = new RawEventRing(1024, 4);
        RawEventRing.Share share = ring.newShare();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int base = w * perWriter;
            Thread t = new Thread(() -> {
                await(go);
                for (int i = 0; i < perWriter; i++) {
                    if (ring.offer(share, source, base + i, base + i, null)) {
                        accepted.incrementAndGet();
                    } else {
                        refused.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        BitSet seen = new BitSet(writers * perWriter);
        AtomicBoolean duplicate = new AtomicBoolean();
        RingColumns out = new RingColumns(256, 4);
        long delivered = 0;
        go.countDown();
        while (threads.stream().anyMatch(Thread::isAlive)) {
            delivered += drain(ring, out, seen, duplicate);
        }
        long[] ends = ring.close();
        while (!ring.drainedTo(ends)) {
            delivered += drain(ring, out, seen, duplicate);
        }
        assertThat(duplicate).isFalse();
        assertThat(accepted.get() + refused.get()).isEqualTo((long) writers * perWriter);
        assertThat(delivered).isEqualTo(accepted.get()).isEqualTo(seen.cardinality());
        assertThat(delivered).isGreaterThan(1024); // the consumer kept slots coming back
    }

    @Test
    void anOfferWhoseLanesAreHeldFindsTheOneLaneLeftFreeFromAnyProbe() {
        // Producers descheduled while they hold three of the four lanes: whatever stripe a thread is
        // on, its offer takes the free lane. Random moves alone missed it from some probes.
        for (int free = 0; free < 4; free++) {
            RawEventRing ring = new RawEventRing(64, 4);
            RawEventRing.Share share = ring.newShare();
            for (int i = 0; i < 4; i++) {
                ring.lane(i).lock = i == free ? 0 : 1;
            }
            for (int p = 0; p < 12; p++) {
                int[] probe = {p * 0x61C88647};
                assertThat(ring.offerNow(share, source, p, Clock.systemUTC(), probe))
                        .as("lane %d free, probe %d", free, p).isTrue();
            }
            RingColumns out = new RingColumns(64, 4);
            assertThat(ring.drainTo(out)).isEqualTo(12);
            assertThat(out.laneEnds[free]).isEqualTo(12);
        }
    }

    @Test
    void oneThreadWhoseLaneIsFullFillsTheOtherLanesBeforeItIsRefused() {
        // a busy thread and a held-up raw-event thread: the whole ring absorbs the backlog, not the
        // thread's own lane alone; then every offer is refused, and draining frees the lanes again
        RawEventRing ring = new RawEventRing(64, 4);
        RawEventRing.Share share = ring.newShare();
        int[] probe = {2};
        int accepted = 0;
        while (accepted < 1_000 && ring.offerNow(share, source, accepted, Clock.systemUTC(), probe)) {
            accepted++;
        }
        assertThat(accepted).isEqualTo(64);
        assertThat(probe[0] & 3).as("the thread stays on its own lane").isEqualTo(2);
        RingColumns out = new RingColumns(64, 4);
        assertThat(ring.drainTo(out)).isEqualTo(64);
        BitSet values = new BitSet();
        for (int i = 0; i < out.size(); i++) {
            values.set((int) out.value(i));
        }
        assertThat(values.cardinality()).isEqualTo(64);
        out.clear();
        assertThat(ring.offerNow(share, source, 64, Clock.systemUTC(), probe)).isTrue();
        assertThat(ring.drainTo(out)).isEqualTo(1);
        assertThat(out.laneEnds[2]).isEqualTo(17); // back on its own lane once that had room
    }

    @Test
    void aRingFoundFullRefusesWithoutLookingUntilADrainFreesSlotsThenAcceptsAgain() {
        RawEventRing ring = new RawEventRing(64, 4);
        RawEventRing.Share share = ring.newShare();
        int[] probe = {1};
        for (int i = 0; i < 64; i++) {
            assertThat(ring.offerNow(share, source, i, Clock.systemUTC(), probe)).isTrue();
        }
        assertThat(ring.markedFull()).isFalse();
        assertThat(ring.offerNow(share, source, 64, Clock.systemUTC(), probe)).isFalse();
        assertThat(ring.markedFull()).as("every lane was found full").isTrue();
        assertThat(ring.offerNow(share, source, 65, Clock.systemUTC(), new int[] {3})).isFalse();

        RingColumns out = new RingColumns(8, 4); // a drain of 8 events frees 8 slots
        assertThat(ring.drainTo(out)).isEqualTo(8);
        assertThat(ring.markedFull()).as("a drain makes the mark stale").isFalse();
        assertThat(ring.offerNow(share, source, 66, Clock.systemUTC(), probe)).isTrue();
    }

    @Test
    void aFullLaneWhoseNeighboursAreHeldButNotFullIsNotTakenForAFullRing() {
        // the other lanes held by descheduled producers: this offer is refused, but the ring is not
        // marked full, so the next offer looks again and takes the lane freed meanwhile
        RawEventRing ring = new RawEventRing(64, 4);
        RawEventRing.Share share = ring.newShare();
        int[] probe = {2};
        for (int i = 0; i < 4; i++) {
            ring.lane(i).lock = i == 2 ? 0 : 1;
        }
        for (int i = 0; i < 16; i++) {
            assertThat(ring.offerNow(share, source, i, Clock.systemUTC(), probe)).isTrue();
        }
        assertThat(ring.offerNow(share, source, 16, Clock.systemUTC(), probe)).isFalse();
        assertThat(ring.markedFull()).isFalse();
        ring.lane(0).lock = 0;
        assertThat(ring.offerNow(share, source, 17, Clock.systemUTC(), probe)).isTrue();
        RingColumns out = new RingColumns(64, 4);
        assertThat(ring.drainTo(out)).isEqualTo(17);
        assertThat(out.laneEnds[0]).isEqualTo(1);
    }

    @Test
    void anOfferWhoseLanesAreAllHeldIsRefusedWithoutWaiting() {
        RawEventRing ring = new RawEventRing(64, 4);
        RawEventRing.Share share = ring.newShare();
        for (int i = 0; i < 4; i++) {
            ring.lane(i).lock = 1;
        }
        assertThat(ring.offerNow(share, source, 1, Clock.systemUTC(), new int[] {7})).isFalse();
        ring.lane(2).lock = 0;
        assertThat(ring.offerNow(share, source, 1, Clock.systemUTC(), new int[] {7})).isTrue();
    }

    /** A clock a test moves by hand. */
    private static final class HandClock extends Clock {
        long millis;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aSharedStampServesAtMostReusesOffersOfALaneThenAReadingRenewsItAndWithdrawnItServesNone() {
        HandClock clock = new HandClock();
        MilliStamp stamp = new MilliStamp(clock, true);
        RawEventRing ring = new RawEventRing(1024, 1, stamp);
        RawEventRing.Share share = ring.newShare();
        RingColumns out = new RingColumns(1024, 1);

        clock.millis = 1_000;
        stamp.refresh();
        assertThat(ring.offerNow(share, source, 0, clock)).isTrue(); // a lane's first offer reads the clock
        clock.millis = 5_000; // the raw-event thread stalls: the stamp gets old
        for (int i = 1; i <= MilliStamp.REUSES + 2; i++) {
            assertThat(ring.offerNow(share, source, i, clock)).isTrue();
        }
        drainAll(ring, out);
        for (int i = 0; i <= MilliStamp.REUSES; i++) {
            assertThat(out.epochMillis(i)).as("event %d", i).isEqualTo(1_000);
        }
        assertThat(out.epochMillis(MilliStamp.REUSES + 1)).isEqualTo(5_000); // read, and put in for the next ones
        assertThat(out.epochMillis(MilliStamp.REUSES + 2)).isEqualTo(5_000);
        assertThat(stamp.get()).isEqualTo(5_000);
        out.clear();

        stamp.withdraw();
        clock.millis = 9_000;
        assertThat(ring.offerNow(share, source, 1, clock)).isTrue();
        assertThat(stamp.get()).isEqualTo(MilliStamp.NONE); // a reading never brings a withdrawn stamp back
        clock.millis = 9_001;
        assertThat(ring.offerNow(share, source, 2, clock)).isTrue();
        drainAll(ring, out);
        assertThat(out.epochMillis(0)).isEqualTo(9_000);
        assertThat(out.epochMillis(1)).isEqualTo(9_001);
    }

    @Test
    void aClockThatIsNotTheSystemClockIsReadForEveryEvent() {
        HandClock clock = new HandClock();
        MilliStamp stamp = new MilliStamp(clock);
        assertThat(stamp.clock).isNull();
        assertThat(new MilliStamp(Clock.systemUTC()).clock).isNotNull();
    }

    private static long drain(RawEventRing ring, RingColumns out, BitSet seen, AtomicBoolean duplicate) {
        int n = ring.drainTo(out);
        for (int i = 0; i < n; i++) {
            int v = (int) out.value(i);
            if (seen.get(v) || out.epochMillis(i) != v) {
                duplicate.set(true);
            }
            seen.set(v);
        }
        out.clear();
        return n;
    }

    /** Offers until the first refusal or {@code max} offers; how many were accepted. */
    /**
     * Drains twice: a lane that published since the drain before keeps its stage for one drain more
     * ({@link RawEventRing.Lane#quiet()}).
     */
    private static int drainAll(RawEventRing ring, RingColumns out) {
        return ring.drainTo(out) + ring.drainTo(out);
    }

    private int offerUntilRefused(RawEventRing ring, RawEventRing.Share share, int max) {
        int n = 0;
        while (n < max && ring.offer(share, source, 1.0, 0L, null)) {
            n++;
        }
        return n;
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
