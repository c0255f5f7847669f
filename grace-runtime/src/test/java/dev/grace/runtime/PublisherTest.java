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
import static org.assertj.core.api.Assertions.within;

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

    /** One KPI per unit, each with the unit's default range: the ranges plugins get without narrowing. */
    static final class EveryUnit extends TestPlugins.Good {
        static final List<Kpi> KPIS = java.util.Arrays.stream(Kpi.Unit.values())
                .map(u -> Kpi.builder(u.name().toLowerCase(java.util.Locale.ROOT), u).build()).toList();

        EveryUnit() {
            super("units", "core");
        }

        @Override
        public List<Kpi> kpis() {
            return KPIS;
        }
    }

    /** The doubles at the edges: the largest, the smallest, subnormals, both zeros, and the magnitude limit. */
    private static final double[] EXTREMES = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE,
            Double.MIN_NORMAL / 3, -Double.MIN_NORMAL / 7, Math.nextDown(Double.MIN_NORMAL), Double.MIN_NORMAL, 0.0, -0.0,
            MetricPublisher.MAX_MAGNITUDE, -MetricPublisher.MAX_MAGNITUDE, Math.nextUp(MetricPublisher.MAX_MAGNITUDE),
            1e300, 0.5, 1.0};

    @Test
    void extremeDoublesOnEveryUnitAreCountedConsistentlyOrRejectedByReasonNeverThrown() {
        EveryUnit plugin = new EveryUnit();
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withStore(NO_STORE)
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, 1 << 16));
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(plugin)
                .rawEventSink(raw::addAll).build().start();
        MetricPublisher p = plugin.publisher();
        Map<RejectReason, Long> expectedRejections = new java.util.EnumMap<>(RejectReason.class);
        Map<String, List<Double>> accepted = new HashMap<>();
        for (Kpi kpi : EveryUnit.KPIS) {
            for (double v : EXTREMES) {
                boolean shouldAccept = kpi.accepts(v) && Math.abs(v) <= MetricPublisher.MAX_MAGNITUDE;
                RejectReason reason = kpi.accepts(v) ? RejectReason.MAGNITUDE_TOO_LARGE : RejectReason.OUT_OF_RANGE;
                // the three ways in: the hot path, the timed form with metadata, by name
                boolean[] results = new boolean[3];
                assertThatCode(() -> {
                    results[0] = p.record(kpi, v);
                    results[1] = p.record(kpi, v, clock.instant(), Map.of("k", "v"));
                    results[2] = p.publish(kpi.name(), v);
                }).as("%s %s", kpi.name(), v).doesNotThrowAnyException();
                assertThat(results).as("%s %s", kpi.name(), v).containsOnly(shouldAccept);
                if (shouldAccept) {
                    accepted.computeIfAbsent(kpi.name(), k -> new ArrayList<>()).addAll(List.of(v, v, v));
                } else {
                    expectedRejections.merge(reason, 3L, Long::sum);
                }
            }
        }
        assertThat(runtime.stats().rejected("units")).containsExactlyInAnyOrderEntriesOf(expectedRejections);
        assertThat(expectedRejections).containsKeys(RejectReason.MAGNITUDE_TOO_LARGE, RejectReason.OUT_OF_RANGE);
        long acceptedTotal = accepted.values().stream().mapToLong(List::size).sum();
        assertThat(runtime.stats().accepted("units")).isEqualTo(acceptedTotal);

        Instant hour = Instant.parse("2026-11-22T09:00:00Z");
        for (Kpi kpi : EveryUnit.KPIS) {
            List<Double> values = accepted.get(kpi.name());
            HourlyRollup r = runtime.rollups().hour("core", kpi.name(), hour).orElseThrow();
            double sum = 0;
            double sumOfSquares = 0;
            for (double v : values) {
                sum += v;
                sumOfSquares += v * v;
            }
            List<Double> sorted = values.stream().sorted().toList();
            assertThat(r.count()).as(kpi.name()).isEqualTo(values.size());
            assertThat(r.sum()).as(kpi.name()).isEqualTo(sum);
            assertThat(r.sumOfSquares()).as(kpi.name()).isEqualTo(sumOfSquares).isFinite();
            assertThat(r.mean()).as(kpi.name()).isFinite();
            assertThat(r.stddev()).as(kpi.name()).isFinite();
            // numerically: the rollup does not tell -0.0 from 0.0
            assertThat(r.min()).as(kpi.name()).isCloseTo(sorted.get(0), within(0.0));
            assertThat(r.max()).as(kpi.name()).isCloseTo(sorted.get(sorted.size() - 1), within(0.0));
            for (double q : new double[] {0, 0.25, 0.5, 0.95, 1}) {
                double exact = sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
                // within 1%, or, below the smallest normal double, counted at zero (the sketch's zero bucket)
                assertThat(Math.abs(r.quantile(q) - exact))
                        .as("%s p%s", kpi.name(), q * 100)
                        .isLessThanOrEqualTo(Math.max(0.01 * Math.abs(exact), Double.MIN_NORMAL));
            }
        }
        runtime.close();
        assertThat(raw).hasSize((int) acceptedTotal);
        for (Kpi kpi : EveryUnit.KPIS) {
            assertThat(raw.stream().filter(e -> e.kpi().equals(kpi.name())).map(RawEvent::value).sorted().toList())
                    .as(kpi.name()).isEqualTo(accepted.get(kpi.name()).stream().sorted().toList());
        }
    }

    @Test
    void metadataAtTheLimitsWithEscapedCharactersIsAccepted() {
        MetricPublisher p = start(new TestPlugins.Good(), 1 << 16).publisher();
        assertThat(p.publish("latency", 1, poisonMetadata())).isTrue();
        runtime.close();
        assertThat(raw).singleElement().satisfies(e -> assertThat(e.metadata()).isEqualTo(poisonMetadata()));
    }

    /** Every metadata limit at its maximum, values of characters JSON escapes: 4,657 characters as JSON. */
    static Map<String, String> poisonMetadata() {
        Map<String, String> meta = new HashMap<>();
        for (int i = 0; i < MetricPublisher.MAX_METADATA_KEYS; i++) {
            meta.put((char) ('a' + i) + "k".repeat(MetricPublisher.MAX_METADATA_KEY_LENGTH - 1),
                    "\"".repeat(MetricPublisher.MAX_METADATA_VALUE_LENGTH));
        }
        return meta;
    }

    @Test
    void metadataChangedWhileItIsRecordedIsJudgedOnTheCopyKept() throws Exception {
        MetricPublisher p = start(new TestPlugins.Good(), 1 << 16).publisher();
        String huge = "x".repeat(1 << 20);
        // A map that grows a 1 MiB value right after the publisher has looked at its size and
        // entries once: a check on the caller's map followed by a copy would keep the huge value.
        Map<String, String> hostile = new java.util.concurrent.ConcurrentHashMap<>(Map.of("k", "v"));
        AtomicBoolean stop = new AtomicBoolean();
        Thread mutator = new Thread(() -> {
            while (!stop.get()) {
                hostile.put("k", huge);
                hostile.put("k", "v");
            }
        });
        mutator.start();
        int accepted = 0;
        try {
            for (int i = 0; i < 20_000; i++) {
                if (p.publish("latency", 1, hostile)) {
                    accepted++;
                }
            }
        } finally {
            stop.set(true);
            mutator.join();
        }
        Map<String, String> flipping = new java.util.AbstractMap<>() {
            int reads;

            @Override
            public java.util.Set<Entry<String, String>> entrySet() {
                // small the first time it is read, huge every time after
                return Map.of("k", reads++ == 0 ? "v" : huge).entrySet();
            }
        };
        assertThat(p.publish("latency", 1, flipping)).isFalse();
        runtime.close();
        PublishStats stats = runtime.stats();
        assertThat(accepted).isPositive();
        assertThat(stats.accepted("good")).isEqualTo(accepted);
        assertThat(stats.rejected("good", RejectReason.METADATA_TOO_LARGE)).isEqualTo(20_000 - accepted + 1);
        assertThat(raw).hasSize(accepted).allSatisfy(e -> assertThat(e.metadata()).isEqualTo(Map.of("k", "v")));
    }

    @Test
    void aFloodingPluginDropsItsOwnRawEventsAndAPacedOneKeepsAtLeast99Percent() throws Exception {
        TestPlugins.Good flood = new TestPlugins.Good();
        TestPlugins.Good paced = new TestPlugins.SecondGood();
        Map<String, java.util.concurrent.atomic.LongAdder> delivered = new java.util.concurrent.ConcurrentHashMap<>();
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withStore(NO_STORE)
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, 1024));
        // A sink far slower than the flood, as a database is: the ring, not the sink, decides who loses.
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(flood).plugin(paced)
                .rawEventSink(batch -> {
                    batch.forEach(e -> delivered.computeIfAbsent(e.pluginId(), id -> new java.util.concurrent.atomic.LongAdder()).increment());
                    Thread.sleep(2);
                }).build().start();
        AtomicBoolean stop = new AtomicBoolean();
        Thread flooder = new Thread(() -> {
            while (!stop.get()) {
                flood.publisher().record(TestPlugins.LATENCY, 1.0);
            }
        });
        flooder.start();
        int pacedValues = 500;
        try {
            for (int i = 0; i < pacedValues; i++) {
                assertThat(paced.publisher().record(TestPlugins.LATENCY, 2.0)).isTrue();
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // 1 value per ms
            }
        } finally {
            stop.set(true);
            flooder.join();
        }
        runtime.close();
        PublishStats stats = runtime.stats();
        long pacedDelivered = delivered.getOrDefault("second", new java.util.concurrent.atomic.LongAdder()).sum();
        System.out.printf("fair shares: paced kept %d of %d raw events (%d dropped); flood kept %d of %d%n",
                pacedDelivered, pacedValues, stats.rawDropped("second"), delivered.get("good").sum(), stats.accepted("good"));
        assertThat(stats.rawDropped("good")).isPositive(); // the flood did overrun its share
        assertThat(pacedDelivered + stats.rawDropped("second")).isEqualTo(pacedValues);
        assertThat(pacedDelivered).isGreaterThanOrEqualTo((long) Math.ceil(0.99 * pacedValues));
    }

    /** Dyadic values, so every sum is exact whatever order the stripes add them in. */
    private static double value(int thread, int i) {
        return ((thread * 7919 + i) % 10_000) / 1024.0;
    }
}
