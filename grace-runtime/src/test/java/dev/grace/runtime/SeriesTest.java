package dev.grace.runtime;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.RejectReason;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

/** Series of a KPI with attributes: binding, the bound, overflow, rejections, totals and the hot path. */
class SeriesTest {

    private static final GraceConfig.Store NO_STORE = GraceConfig.Store.defaults().withEnabled(false);
    private static final Instant T0 = Instant.parse("2026-11-22T09:30:00Z");
    private static final Instant NINE = Instant.parse("2026-11-22T09:00:00Z");
    private static final Instant TEN = Instant.parse("2026-11-22T10:00:00Z");

    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter().range(0, 60)
            .attribute("connector")
            .attribute("region", "eu", "us")
            .maxSeries(3)
            .build();
    static final Kpi PLAIN = Kpi.builder("plain", Kpi.Unit.COUNT).build();

    /** A plugin whose latency has a connector and a region. */
    static final class Attributed extends TestPlugins.Good {
        Attributed() {
            super("attributed", "federation");
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(LATENCY, PLAIN);
        }
    }

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(T0);
    private final List<RawEvent> raw = Collections.synchronizedList(new ArrayList<>());
    private GraceRuntime runtime;

    private MetricPublisher start(int rawCapacity) {
        Attributed plugin = new Attributed();
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withStore(NO_STORE)
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, rawCapacity));
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(plugin)
                .rawEventSink(raw::addAll).build().start();
        return plugin.publisher();
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static double value(int thread, int set, int i) {
        return ((thread * 31 + set * 7 + i) % 1000) / 100.0;
    }

    @Test
    void overflowIsCountedExactlyUnderFourThreadsAcrossAnHourBoundary() throws Exception {
        MetricPublisher p = start(1 << 20);
        int threads = 4;
        int sets = 8; // the bound is 3: five sets overflow, whichever thread binds first
        int perSet = 5_000;
        CyclicBarrier bind = new CyclicBarrier(threads);
        CyclicBarrier beforeTurn = new CyclicBarrier(threads + 1);
        CyclicBarrier afterTurn = new CyclicBarrier(threads + 1);
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                // every thread binds every set, each starting at another one, all at once
                bind.await();
                Kpi.Series[] series = new Kpi.Series[sets];
                for (int k = 0; k < sets; k++) {
                    int set = (k + 2 * thread) % sets;
                    series[set] = p.series(LATENCY, "connector", "c" + set);
                }
                for (int phase = 0; phase < 2; phase++) {
                    for (int i = 0; i < perSet; i++) {
                        for (int set = 0; set < sets; set++) {
                            double v = (phase + 1) * value(thread, set, i);
                            // half the threads record on bound series, half by map
                            boolean ok = thread % 2 == 0 ? series[set].record(v)
                                    : p.record(LATENCY, Map.of("connector", "c" + set), v);
                            if (!ok) {
                                refused.incrementAndGet();
                            }
                        }
                    }
                    if (phase == 0) {
                        beforeTurn.await();
                        afterTurn.await();
                    }
                }
                return null;
            }));
        }
        beforeTurn.await(60, TimeUnit.SECONDS);
        clock.set(TEN);
        runtime.turnHour();
        afterTurn.await(60, TimeUnit.SECONDS);
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(refused).hasValue(0);

        long perHourPerSet = (long) threads * perSet;
        PublishStats stats = runtime.stats();
        assertThat(stats.seriesOverflow("attributed")).isEqualTo(5 * 2 * perHourPerSet);
        assertThat(stats.totalSeriesOverflow()).isEqualTo(5 * 2 * perHourPerSet);
        assertThat(stats.accepted("attributed")).isEqualTo(sets * 2 * perHourPerSet);
        assertThat(stats.rejected("attributed")).isEmpty();

        for (Instant hour : List.of(NINE, TEN)) {
            List<HourlyRollup> series = runtime.rollups().series("federation", "latency").stream()
                    .filter(r -> r.hourStart().equals(hour)).toList();
            assertThat(series).extracting(HourlyRollup::series).hasSize(4).contains(SeriesKey.OVERFLOW);
            for (HourlyRollup r : series) {
                long expected = r.series().equals(SeriesKey.OVERFLOW) ? 5 * perHourPerSet : perHourPerSet;
                assertThat(r.count()).as(r.toString()).isEqualTo(expected);
            }
            HourlyRollup total = runtime.rollups().hour("federation", "latency", hour).orElseThrow();
            assertThat(total.isTotal()).isTrue();
            assertThat(total.count()).isEqualTo(sets * perHourPerSet);
        }
        // the admitted sets are named; their values are exactly those recorded on them
        for (HourlyRollup r : runtime.rollups().series("federation", "latency")) {
            if (r.series().equals(SeriesKey.OVERFLOW)) {
                continue;
            }
            int set = Integer.parseInt(r.attributes().get("connector").substring(1));
            double factor = r.hourStart().equals(NINE) ? 1 : 2;
            double expectedSum = 0;
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perSet; i++) {
                    expectedSum += factor * value(t, set, i);
                }
            }
            assertThat(r.sum()).as(r.toString()).isCloseTo(expectedSum, within(1e-6));
        }

        runtime.close();
        assertThat(raw).hasSize((int) (sets * 2 * perHourPerSet));
        assertThat(raw.stream().filter(e -> e.series().equals(SeriesKey.OVERFLOW)).count())
                .isEqualTo(5 * 2 * perHourPerSet);
    }

    @Test
    void theTotalIsMergedFromEverySeriesAndEqualsTheirSum() {
        MetricPublisher p = start(1 << 16);
        Kpi.Series billing = p.series(LATENCY, "connector", "billing");
        Kpi.Series crmEu = p.series(LATENCY, "connector", "crm", "region", "eu");
        Kpi.Series us = p.series(LATENCY, Map.of("region", "us"));
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double a = 0.01 + i * 0.001;
            double b = 1 + (i % 97) * 0.3;
            double c = 20 + (i % 13);
            assertThat(billing.record(a)).isTrue();
            assertThat(crmEu.record(b)).isTrue();
            assertThat(us.record(c)).isTrue();
            all.add(a);
            all.add(b);
            all.add(c);
        }
        assertThat(p.record(LATENCY, 0.5)).isTrue(); // without attributes: in the total only
        all.add(0.5);

        List<HourlyRollup> series = runtime.rollups().series("federation", "latency");
        assertThat(series).extracting(HourlyRollup::series)
                .containsExactly("connector=billing", "connector=crm,region=eu", "region=us");
        assertThat(series.get(1).attributes()).containsExactly(Map.entry("connector", "crm"), Map.entry("region", "eu"));
        HourlyRollup total = runtime.rollups().hour("federation", "latency", NINE).orElseThrow();
        HourlyRollup byHand = series.get(0).mergeAs("", series.get(1)).mergeAs("", series.get(2));

        assertThat(total.series()).isEmpty();
        assertThat(total.count()).isEqualTo(byHand.count() + 1).isEqualTo(3001);
        assertThat(total.sum()).isCloseTo(all.stream().mapToDouble(Double::doubleValue).sum(), within(1e-9));
        assertThat(total.min()).isEqualTo(0.01);
        assertThat(total.max()).isEqualTo(32.0);
        Collections.sort(all);
        for (double q : new double[] {0.1, 0.5, 0.95, 0.99}) {
            double exact = all.get((int) Math.ceil(q * all.size()) - 1);
            assertThat(total.quantile(q)).as("p" + q).isCloseTo(exact, within(exact * 0.0101));
        }
        // every reader of totals sees the total, and readers of series see it first, then the series
        assertThat(runtime.rollups().all()).extracting(HourlyRollup::series).containsOnly("");
        assertThat(runtime.rollups().hourWithSeries(NINE)).extracting(HourlyRollup::series)
                .containsExactly("", "connector=billing", "connector=crm,region=eu", "region=us");
        assertThat(runtime.rollups().acceptedCount("federation", "latency")).isEqualTo(3001);
        assertThat(runtime.stats().accepted("attributed")).isEqualTo(3001);
    }

    @Test
    void undeclaredKeysAndDisallowedValuesAreRejectedAndCountedAndNothingThrows() {
        MetricPublisher p = start(1 << 16);
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("connector", null);
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        Map<String, String> hostile = new HashMap<>() {
            @Override
            public int hashCode() {
                throw new IllegalStateException("hostile");
            }

            @Override
            public java.util.Set<Map.Entry<String, String>> entrySet() {
                throw new IllegalStateException("hostile");
            }
        };
        hostile.put("connector", "x");

        List<Kpi.Series> unknownKey = List.of(
                p.series(LATENCY, "tenant", "acme"),
                p.series(LATENCY, "connector", "a", "tenant", "acme"),
                p.series(LATENCY, "connector", "a", "connector", "b"),
                p.series(LATENCY, nullKey),
                p.series(PLAIN, "connector", "a"),
                p.series(LATENCY, hostile));
        List<Kpi.Series> notAllowed = List.of(
                p.series(LATENCY, "region", "asia"),
                p.series(LATENCY, "connector", ""),
                p.series(LATENCY, "connector", "x".repeat(65)),
                p.series(LATENCY, "connector", "line\nbreak"),
                p.series(LATENCY, nullValue));
        Kpi.Series unknownKpi = p.series(Kpi.builder("latency", Kpi.Unit.SECONDS).attribute("x").build(), "x", "1");
        assertThatCode(() -> p.series(null, null)).doesNotThrowAnyException();

        for (Kpi.Series s : unknownKey) {
            assertThat(s.record(1.0)).as(s.toString()).isFalse();
            assertThat(s.record(2.0)).isFalse();
        }
        for (Kpi.Series s : notAllowed) {
            assertThat(s.record(1.0)).as(s.toString()).isFalse();
        }
        assertThat(unknownKpi.record(1.0)).isFalse();
        assertThat(p.record(LATENCY, Map.of("tenant", "acme"), 1.0)).isFalse();
        assertThat(p.record(LATENCY, Map.of("region", "asia"), 1.0)).isFalse();
        assertThat(p.record(LATENCY, hostile, 1.0)).isFalse();

        PublishStats stats = runtime.stats();
        assertThat(stats.rejected("attributed", RejectReason.UNKNOWN_ATTRIBUTE)).isEqualTo(2 * 6 + 2);
        assertThat(stats.rejected("attributed", RejectReason.ATTRIBUTE_VALUE_NOT_ALLOWED)).isEqualTo(5 + 1);
        assertThat(stats.rejected("attributed", RejectReason.UNKNOWN_KPI)).isEqualTo(1);
        assertThat(stats.accepted("attributed")).isZero();
        assertThat(runtime.rollups().allWithSeries()).isEmpty();
        assertThat(unknownKey.get(0).attributes()).containsExactly(Map.entry("tenant", "acme"));

        // a valid series next to them is untouched; values outside the range are refused on a series too
        Kpi.Series ok = p.series(LATENCY, "region", "eu");
        assertThat(ok.record(61)).isFalse();
        assertThat(ok.record(Double.NaN)).isFalse();
        assertThat(ok.record(3)).isTrue();
        assertThat(runtime.stats().rejected("attributed", RejectReason.OUT_OF_RANGE)).isEqualTo(1);
        assertThat(runtime.stats().rejected("attributed", RejectReason.NOT_A_NUMBER)).isEqualTo(1);
        runtime.close();
        assertThat(ok.record(3)).isFalse();
        assertThat(runtime.stats().rejected("attributed", RejectReason.CLOSED)).isEqualTo(1);
    }

    @Test
    void anEmptyAttributeSetIsTheKpiItselfAndRawEventsCarryTheirSeriesKey() {
        MetricPublisher p = start(1 << 16);
        assertThat(p.series(LATENCY, Map.of()).record(1)).isTrue();
        assertThat(p.series(LATENCY, "connector", "a,b").record(2)).isTrue();
        assertThat(p.record(LATENCY, Map.of("connector", "a,b"), 3)).isTrue();
        runtime.close();
        assertThat(raw).extracting(RawEvent::series).containsExactly("", "connector=a\\,b", "connector=a\\,b");
        assertThat(runtime.rollups().series("federation", "latency")).singleElement()
                .satisfies(r -> assertThat(r.attributes()).containsExactly(Map.entry("connector", "a,b")));
    }

    @Test
    void recordingOnABoundSeriesOrByAMapOfABoundSetAllocatesNothing() {
        MetricPublisher p = start(1 << 10); // a small ring: most raw offers are refused, which must not allocate either
        Kpi.Series s = p.series(LATENCY, "connector", "billing");
        Map<String, String> attributes = Map.of("connector", "billing");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 200_000; i++) { // warm up: JIT, the sketch's bins for these values
            s.record((i % 100) / 10.0);
            p.record(LATENCY, (i % 100) / 10.0);
        }
        long before = threads.getThreadAllocatedBytes(id);
        long after = threads.getThreadAllocatedBytes(id);
        long overhead = after - before;
        before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) {
            s.record((i % 100) / 10.0);
        }
        after = threads.getThreadAllocatedBytes(id);
        assertThat(after - before - overhead).as("bytes allocated by 1,000,000 records on a bound series")
                .isLessThan(1024);

        // by map: a hit asks the caller's map for each declared key and probes the series index
        for (int i = 0; i < 200_000; i++) {
            p.record(LATENCY, attributes, (i % 100) / 10.0);
        }
        before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) {
            p.record(LATENCY, attributes, (i % 100) / 10.0);
        }
        after = threads.getThreadAllocatedBytes(id);
        assertThat(after - before - overhead).as("bytes allocated by 1,000,000 by-map records, Map.of").isLessThan(1024);
        Map<String, String> hash = new HashMap<>(attributes);
        for (int i = 0; i < 200_000; i++) {
            p.record(LATENCY, hash, (i % 100) / 10.0);
        }
        before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) {
            p.record(LATENCY, hash, (i % 100) / 10.0);
        }
        after = threads.getThreadAllocatedBytes(id);
        assertThat(after - before - overhead).as("bytes allocated by 1,000,000 by-map records, HashMap").isLessThan(1024);
    }
}
