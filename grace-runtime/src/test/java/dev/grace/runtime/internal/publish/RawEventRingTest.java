package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RawEventRingTest {

    private static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).range(0, 60).build();
    private final KpiAccumulator source = new RollupRegistry(Clock.systemUTC(), Duration.ofHours(2), 2)
            .register("p", "d", LATENCY);

    @Test
    void aFullShareIsRefusedWhileAnotherShareKeepsItsHalfAndDrainingFreesIt() {
        RawEventRing ring = new RawEventRing(16);
        RawEventRing.Share flood = ring.newShare();
        RawEventRing.Share paced = ring.newShare();

        assertThat(offerUntilRefused(ring, flood, 100)).isEqualTo(8);
        assertThat(ring.refuses(flood)).isTrue();
        assertThat(ring.refuses(paced)).isFalse();
        assertThat(offerUntilRefused(ring, paced, 100)).isEqualTo(8);
        assertThat(ring.refuses(paced)).isTrue();

        List<RawEvent> out = new ArrayList<>();
        assertThat(ring.drainTo(out, 4)).isEqualTo(4); // the flood's four oldest
        assertThat(ring.refuses(flood)).isFalse();
        assertThat(offerUntilRefused(ring, flood, 100)).isEqualTo(4);
        assertThat(ring.refuses(paced)).isTrue();
    }

    @Test
    void twoThreadsOfOneShareOvershootItsBoundByAtMostOneSlot() throws Exception {
        for (int round = 0; round < 50; round++) {
            RawEventRing ring = new RawEventRing(1024);
            RawEventRing.Share flood = ring.newShare();
            ring.newShare(); // the bound is 512
            AtomicInteger accepted = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Runnable offer = () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                accepted.addAndGet(offerUntilRefused(ring, flood, 10_000));
            };
            Thread a = new Thread(offer);
            Thread b = new Thread(offer);
            a.start();
            b.start();
            go.countDown();
            a.join();
            b.join();
            assertThat(accepted.get()).isBetween(512, 513);
        }
    }

    @Test
    void aClosedRingRefusesEveryShare() {
        RawEventRing ring = new RawEventRing(16);
        RawEventRing.Share share = ring.newShare();
        ring.close();
        assertThat(ring.refuses(share)).isTrue();
        assertThat(ring.offer(share, source, 1.0, 0L, null)).isFalse();
    }

    /** Offers until the first refusal or {@code max} offers; how many were accepted. */
    private int offerUntilRefused(RawEventRing ring, RawEventRing.Share share, int max) {
        int n = 0;
        while (n < max && ring.offer(share, source, 1.0, 0L, null)) {
            n++;
        }
        return n;
    }
}
