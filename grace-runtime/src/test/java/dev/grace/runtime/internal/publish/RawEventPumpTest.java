package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pump behind real publishers: what a full ring refuses is counted exactly, and close delivers every accepted event. */
class RawEventPumpTest {

    private static final Kpi COUNT = Kpi.builder("count", Kpi.Unit.COUNT).build();
    private final Clock clock = Clock.systemUTC();
    private final RollupRegistry rollups = new RollupRegistry(clock, Duration.ofHours(2), 2);

    /** Keeps every value it is handed; its first batch waits until the runtime says it is closing, so the ring fills behind it. */
    private static final class StuckColumnSink implements RawEventColumnSink {
        final CountDownLatch closing = new CountDownLatch(1);
        final BitSet values = new BitSet();
        long received;
        boolean duplicate;

        @Override
        public void accept(RawEventColumns batch) throws InterruptedException {
            closing.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < batch.size(); i++) {
                int v = (int) batch.value(i);
                duplicate |= values.get(v);
                values.set(v);
                received++;
            }
        }

        @Override
        public void closing() {
            closing.countDown();
        }
    }

    @Test
    void aRingHeldFullByAStuckSinkCountsEveryRefusalAndCloseDeliversEveryAcceptedEvent() throws Exception {
        StuckColumnSink sink = new StuckColumnSink();
        RawEventPump pump = new RawEventPump(1024, sink, id -> { });
        KpiAccumulator acc = rollups.register("p", "d", COUNT);
        SafePublisher publisher = new SafePublisher("p", List.of(acc), clock, new MinuteMark(0), 1000, pump, null);
        pump.start();
        int threads = 2;
        int perThread = 50_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            Thread w = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    publisher.record(COUNT, base + i);
                }
            });
            writers.add(w);
            w.start();
        }
        for (Thread w : writers) {
            w.join();
        }
        long dropped = publisher.rejections().rawDropped();
        // the stuck sink holds at most one batch; the ring holds at most its capacity
        assertThat(dropped).isGreaterThanOrEqualTo((long) threads * perThread - 1024 - 4096);
        publisher.close();
        pump.closing();
        pump.close();
        assertThat(sink.duplicate).isFalse();
        assertThat(sink.received + dropped).isEqualTo((long) threads * perThread);
        assertThat(sink.values.cardinality()).isEqualTo((int) sink.received);
    }

    @Test
    void aHostListSinkGetsEveryEventAsItsOwnListAndAwaitDeliveredSeesThem() throws Exception {
        List<RawEvent> got = new ArrayList<>();
        RawEventSink host = batch -> {
            synchronized (got) {
                got.addAll(batch);
            }
        };
        RawEventPump pump = new RawEventPump(1024, host, id -> { });
        KpiAccumulator acc = rollups.register("p", "d", COUNT);
        SafePublisher publisher = new SafePublisher("p", List.of(acc), clock, new MinuteMark(0), 1000, pump, null);
        pump.start();
        long before = clock.millis();
        for (int i = 0; i < 100; i++) {
            assertThat(publisher.record(COUNT, i)).isTrue();
        }
        assertThat(pump.awaitDelivered(Duration.ofSeconds(30))).isTrue();
        synchronized (got) {
            assertThat(got).hasSize(100);
            assertThat(got).extracting(RawEvent::value).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 100).mapToObj(i -> (double) i).toList());
            assertThat(got).allSatisfy(e -> {
                assertThat(e.pluginId()).isEqualTo("p");
                assertThat(e.kpi()).isEqualTo("count");
                assertThat(e.epochMillis()).isBetween(before, clock.millis());
                assertThat(e.metadata()).isEmpty();
            });
        }
        assertThat(publisher.rejections().rawDropped()).isZero();
        pump.close();
    }
}
