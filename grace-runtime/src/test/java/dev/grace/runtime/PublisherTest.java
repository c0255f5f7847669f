package dev.grace.runtime;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.RejectReason;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class PublisherTest {

    /** These tests pin the publisher and the in-memory rollups; the store has its own tests. */
    private static final GraceConfig.Store NO_STORE = GraceConfig.Store.defaults().withEnabled(false);

    private static final Instant T0 = Instant.parse("2026-11-22T09:59:58Z");

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(T0);
    private final List<RawEvent> raw = Collections.synchronizedList(new ArrayList<>());
    private GraceRuntime runtime;

    private TestPlugins.Good start(TestPlugins.Good plugin, int rawCapacity) {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withStore(NO_STORE)
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, rawCapacity));
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(plugin)
                .rawEventSink(raw::addAll).build().start();
        return plugin;
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void everyRejectionReasonIsCountedPerPluginAndReason() {
        MetricPublisher p = start(new TestPlugins.Good(), 1 << 16).publisher();
        Kpi undeclared = Kpi.builder("undeclared", Kpi.Unit.COUNT).build();

        assertThat(p.record(undeclared, 1)).isFalse();
        assertThat(p.publish("nope", 1)).isFalse();
        assertThat(p.record(TestPlugins.LATENCY, Double.NaN)).isFalse();
        assertThat(p.record(TestPlugins.LATENCY, Double.POSITIVE_INFINITY)).isFalse();
        assertThat(p.publish("latency", Double.NEGATIVE_INFINITY)).isFalse();
        assertThat(p.record(TestPlugins.LATENCY, 61)).isFalse();
        assertThat(p.record(TestPlugins.SUCCESS, -0.1)).isFalse();
        Map<String, String> nineKeys = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            nineKeys.put("k" + i, "v");
        }
        assertThat(p.publish("latency", 1, nineKeys)).isFalse();
        assertThat(p.publish("latency", 1, Map.of("k".repeat(65), "v"))).isFalse();
        assertThat(p.publish("latency", 1, Map.of("k", "v".repeat(257)))).isFalse();
        assertThat(p.publish("latency", 1, clock.instant().plusMillis(1))).isFalse();
        assertThat(p.publish("latency", 1, clock.instant().minus(Duration.ofHours(2)).minusMillis(1))).isFalse();
        assertThat(p.publish("latency", 1, Instant.MAX)).isFalse();

        PublishStats stats = runtime.stats();
        assertThat(stats.rejected("good")).containsExactlyInAnyOrderEntriesOf(Map.of(
                RejectReason.UNKNOWN_KPI, 2L,
                RejectReason.NOT_A_NUMBER, 1L,
                RejectReason.INFINITE, 2L,
                RejectReason.OUT_OF_RANGE, 2L,
                RejectReason.METADATA_TOO_LARGE, 3L,
                RejectReason.FUTURE_TIMESTAMP, 2L,
                RejectReason.TOO_LATE, 1L));
        assertThat(stats.accepted("good")).isZero();
        assertThat(runtime.rollups().all()).isEmpty();

        runtime.close();
        assertThat(p.record(TestPlugins.LATENCY, 1)).isFalse();
        assertThat(p.publish("latency", 1)).isFalse();
        assertThat(runtime.stats().rejected("good", RejectReason.CLOSED)).isEqualTo(2);
    }

    @Test
    void boundaryValuesAndValidMetadataAreAccepted() {
        MetricPublisher p = start(new TestPlugins.Good(), 1 << 16).publisher();
        assertThat(p.record(TestPlugins.LATENCY, 0)).isTrue();
        assertThat(p.record(TestPlugins.LATENCY, 60)).isTrue();
        assertThat(p.publish("success", 1.0, Map.of("k".repeat(64), "v".repeat(256)))).isTrue();
        assertThat(p.publish("latency", 2, clock.instant())).isTrue();
        assertThat(p.publish("latency", 3, clock.instant().minus(Duration.ofHours(2)))).isTrue();
        assertThat(runtime.stats().accepted("good")).isEqualTo(5);
        assertThat(runtime.stats().totalRejected()).isZero();
    }

    @Test
    void aPluginCannotPublishIntoAnotherDomain() {
        TestPlugins.Good core = new TestPlugins.Good();
        TestPlugins.Good security = new TestPlugins.SecondGood();
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withStore(NO_STORE);
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(core)
                .plugin(security).build().start();
        Kpi securityOnly = Kpi.builder("threats_detected", Kpi.Unit.COUNT).build();

        assertThat(core.publisher().publish("security.latency", 1)).isFalse();
        assertThat(core.publisher().publish("threats_detected", 1)).isFalse();
        assertThat(core.publisher().record(securityOnly, 1)).isFalse();
        assertThat(core.publisher().record(TestPlugins.LATENCY, 1)).isTrue();

        assertThat(runtime.rollups().all()).singleElement().satisfies(r -> {
            assertThat(r.domain()).isEqualTo("core");
            assertThat(r.count()).isEqualTo(1);
        });
        assertThat(runtime.stats().rejected("good", RejectReason.UNKNOWN_KPI)).isEqualTo(3);
        assertThat(runtime.stats().accepted("second")).isZero();
    }

    @Test
    void fourThreadsAcrossAnHourBoundaryGiveExactCountsAndSumsPerHour() throws Exception {
        MetricPublisher p = start(new TestPlugins.Good(), 1 << 20).publisher();
        int threads = 4;
        int perPhase = 50_000;
        CyclicBarrier beforeTurn = new CyclicBarrier(threads + 1);
        CyclicBarrier afterTurn = new CyclicBarrier(threads + 1);
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perPhase; i++) {
                    failed.compareAndSet(false, !p.record(TestPlugins.LATENCY, value(thread, i)));
                }
                beforeTurn.await();
                afterTurn.await();
                for (int i = 0; i < perPhase; i++) {
                    failed.compareAndSet(false, !p.record(TestPlugins.LATENCY, 2 * value(thread, i)));
                }
                return null;
            }));
        }
        beforeTurn.await(30, TimeUnit.SECONDS);
        clock.set(Instant.parse("2026-11-22T10:00:00Z"));
        runtime.turnHour();
        afterTurn.await(30, TimeUnit.SECONDS);
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(failed).isFalse();

        double expectedSum = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perPhase; i++) {
                expectedSum += value(t, i);
            }
        }
        HourlyRollup nine = runtime.rollups().hour("core", "latency", Instant.parse("2026-11-22T09:00:00Z")).orElseThrow();
        HourlyRollup ten = runtime.rollups().hour("core", "latency", Instant.parse("2026-11-22T10:00:00Z")).orElseThrow();
        assertThat(nine.count()).isEqualTo((long) threads * perPhase);
        assertThat(ten.count()).isEqualTo((long) threads * perPhase);
        assertThat(nine.sum()).isEqualTo(expectedSum);
        assertThat(ten.sum()).isEqualTo(2 * expectedSum);
        assertThat(nine.min()).isEqualTo(0.0);
        assertThat(ten.max()).isEqualTo(2 * 9999 / 1024.0);

        runtime.close();
        assertThat(raw).hasSize(2 * threads * perPhase);
        assertThat(runtime.stats().totalRawDropped()).isZero();
    }

    @Test
    void concurrentPublishersDuringTheTurnLoseNothingAndCountNothingTwice() throws Exception {
        MetricPublisher p = start(new TestPlugins.Good(), 1 << 20).publisher();
        int threads = 4;
        int each = 100_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    if (!p.record(TestPlugins.LATENCY, 1.0)) {
                        throw new AssertionError("record refused a valid value while the hour turned");
                    }
                }
            }));
        }
        for (int h = 1; h <= 20; h++) {
            clock.advance(Duration.ofHours(1));
            runtime.turnHour();
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<HourlyRollup> hours = runtime.rollups().of("core", "latency");
        assertThat(hours.stream().mapToLong(HourlyRollup::count).sum()).isEqualTo((long) threads * each);
        assertThat(hours.stream().mapToDouble(HourlyRollup::sum).sum()).isEqualTo(threads * each * 1.0);
        assertThat(runtime.stats().accepted("good")).isEqualTo((long) threads * each);
    }

    @Test
    void lateEventsWithinTheLimitReachTheirOwnHour() {
        MetricPublisher p = start(new TestPlugins.Good(), 1 << 16).publisher();
        clock.set(Instant.parse("2026-11-22T11:30:00Z"));
        runtime.turnHour();
        assertThat(p.publish("latency", 5, Instant.parse("2026-11-22T09:45:00Z"))).isTrue();
        assertThat(p.record(TestPlugins.LATENCY, 7)).isTrue();
        assertThat(runtime.rollups().hour("core", "latency", Instant.parse("2026-11-22T09:00:00Z")))
                .hasValueSatisfying(r -> assertThat(r.sum()).isEqualTo(5));
        assertThat(runtime.rollups().hour("core", "latency", Instant.parse("2026-11-22T11:00:00Z")))
                .hasValueSatisfying(r -> assertThat(r.sum()).isEqualTo(7));
    }

    @Test
    void aFullRawQueueDropsRawEventsButTheRollupKeepsEveryValue() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<RawEvent> delivered = Collections.synchronizedList(new ArrayList<>());
        TestPlugins.Good plugin = new TestPlugins.Good();
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withStore(NO_STORE)
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, 1024));
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(plugin)
                .rawEventSink(batch -> {
                    release.await();
                    delivered.addAll(batch);
                }).build().start();
        for (int i = 0; i < 5000; i++) {
            assertThat(plugin.publisher().record(TestPlugins.LATENCY, 1.0)).isTrue();
        }
        release.countDown();
        runtime.close();
        PublishStats stats = runtime.stats();
        assertThat(stats.accepted("good")).isEqualTo(5000);
        assertThat(stats.rawDropped("good")).isPositive();
        assertThat(delivered.size() + stats.rawDropped("good")).isEqualTo(5000);
    }

    @Test
    void recordNeverThrowsEvenWithNullsOrAfterClose() {
        MetricPublisher p = start(new TestPlugins.Good(), 1 << 16).publisher();
        assertThatCode(() -> {
            p.record(null, 1);
            p.publish(null, 1);
            p.record(null, 1, null, null);
            p.publishAll(java.util.Arrays.asList(null, dev.grace.api.KpiValue.of("latency", 1)));
            Map<String, String> withNull = new HashMap<>();
            withNull.put("k", null);
            p.publish("latency", 1, withNull);
            runtime.close();
            p.record(TestPlugins.LATENCY, 1);
            p.publish("latency", 1, Instant.now());
        }).doesNotThrowAnyException();
    }

    /** Dyadic values, so every sum is exact whatever order the stripes add them in. */
    private static double value(int thread, int i) {
        return ((thread * 7919 + i) % 10_000) / 1024.0;
    }
}
