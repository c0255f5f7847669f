package dev.grace.store;

import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;

import dev.grace.runtime.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.config.GraceConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store guarantees, run against H2 ({@link H2StoreTest}) and PostgreSQL
 * ({@link PostgresStoreTest}) alike. Each test gets a database of its own from {@link #store}.
 */
abstract class StoreContract {

    /**
     * 22:00 UTC on a Sunday: the three hours of the load span two days and two ISO weeks. Shifted by
     * whole weeks in {@link H2StoreTimeShiftTest}, so a test that lets the system clock meet this
     * fixed instant (retention, lateness, "since" windows) fails the day it is written.
     */
    final Instant H0 = Instant.parse("2026-11-22T22:00:00Z").plus(shift());
    static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    /** How far this run moves the test's fixed instants: whole weeks, so weekdays and hours stay. */
    Duration shift() {
        return Duration.ZERO;
    }

    /** The store settings of a fresh, empty database for this test (the same one on each call). */
    abstract GraceConfig.Store store();

    /** A JDBC connection to that database, to look at rows directly. */
    abstract Connection connect() throws SQLException;

    GraceConfig config(Path dataDir, String node) {
        return GraceConfig.defaults().withDataDir(dataDir).withNodeId(node).withPluginsDirs(List.of())
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(3), true, 1 << 20))
                .withStore(store().withFlushInterval(Duration.ofMillis(50)));
    }

    GraceRuntime start(GraceConfig config, TestClock clock, Probe probe) {
        return GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(probe).build().start();
    }

    long scalar(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Per hour start: {count, sum}. */
    record Expected(TreeMap<Long, long[]> counts, TreeMap<Long, double[]> sums) {
        Expected() {
            this(new TreeMap<>(), new TreeMap<>());
        }

        synchronized void add(long hour, double v) {
            counts.computeIfAbsent(hour, h -> new long[1])[0]++;
            sums.computeIfAbsent(hour, h -> new double[2])[0] += v;
            sums.get(hour)[1] += v * v;
        }
    }

    @Test
    void loadOfFourThreadsOverThreeHoursWithLateEventsEqualsIndependentSumsAndVerifyAgrees() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(170)));
        Probe probe = new Probe("load", "perf");
        Expected expected = new Expected();
        GraceConfig config = config(dir, "node-a");
        PublishStats stats;
        try (GraceRuntime runtime = start(config, clock, probe)) {
            MetricPublisher p = probe.publisher();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                threads.add(new Thread(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    Expected mine = new Expected();
                    for (int i = 0; i < 250_000; i++) {
                        double v = random.nextInt(1, 100_000) / 100.0;
                        if (i % 4 == 0) {
                            assertThat(p.record(Probe.LATENCY, v)).isTrue(); // the current hour
                            mine.add(H0.toEpochMilli() + 2 * HOUR, v);
                        } else {
                            // late events into each of the three hours, in time order within an hour
                            // as a delayed source sends them (random times would measure H2's B-tree, not Grace)
                            long at = H0.toEpochMilli() + (i % 3) * HOUR + i * 12L;
                            assertThat(p.record(Probe.LATENCY, v, Instant.ofEpochMilli(at), Map.of())).isTrue();
                            mine.add(at - Math.floorMod(at, HOUR), v);
                        }
                    }
                    synchronized (expected) {
                        mine.counts().forEach((h, c) -> expected.counts().computeIfAbsent(h, x -> new long[1])[0] += c[0]);
                        mine.sums().forEach((h, s) -> {
                            double[] e = expected.sums().computeIfAbsent(h, x -> new double[2]);
                            e[0] += s[0];
                            e[1] += s[1];
                        });
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            stats = runtime.stats();
        }
        assertThat(expected.counts()).hasSize(3);
        try (GraceStore store = GraceStore.open(config, clock)) {
            List<PeriodRollup> hours = store.rollups("perf", "latency", Period.HOUR, H0);
            assertThat(hours).hasSize(3);
            for (PeriodRollup h : hours) {
                long start = h.start().toEpochMilli();
                assertThat(h.count()).isEqualTo(expected.counts().get(start)[0]);
                assertThat(h.sum()).isCloseTo(expected.sums().get(start)[0], within(1e-6 * h.sum()));
                assertThat(h.nodes()).isEqualTo(1);
            }
            // days and weeks are merged from hours: 22:00 and 23:00 on Sunday, 00:00 on Monday
            List<PeriodRollup> days = store.rollups("perf", "latency", Period.DAY, H0);
            assertThat(days).extracting(PeriodRollup::count).containsExactly(
                    expected.counts().firstEntry().getValue()[0] + expected.counts().get(H0.toEpochMilli() + HOUR)[0],
                    expected.counts().lastEntry().getValue()[0]);
            List<PeriodRollup> weeks = store.rollups("perf", "latency", Period.WEEK, H0);
            assertThat(weeks).extracting(PeriodRollup::count).containsExactlyElementsOf(
                    days.stream().map(PeriodRollup::count).toList());
            assertThat(days.get(0).p95()).isCloseTo(weeks.get(0).p95(), within(1e-9));

            long accepted = stats.accepted("load");
            long rawDropped = stats.rawDropped("load");
            assertThat(accepted).isEqualTo(1_000_000);
            assertThat(scalar("SELECT COUNT(*) FROM metric_events") + rawDropped).isEqualTo(accepted);
            if (rawDropped == 0) {
                VerifyReport report = store.verify();
                assertThat(report.differences()).isEmpty();
                assertThat(report.hoursCompared()).isEqualTo(3);
            }
            assertThat(store.verifyAudit().ok()).isTrue();
        }
    }

    /**
     * Metadata at every limit, each character one JSON escapes as a six-character {@code &#92;u00XX}: the longest JSON
     * the publisher's limits allow (15,409 characters). VARCHAR(4096) refused even 256 {@code "}
     * per value, and the writer retried that batch forever while every plugin's raw events queued.
     */
    static Map<String, String> longestMetadata() {
        Map<String, String> meta = new java.util.HashMap<>();
        char[] keyChars = {1, 2, 3, 4, 5, 6, 7, 0x0B};
        for (int i = 0; i < MetricPublisher.MAX_METADATA_KEYS; i++) {
            meta.put(String.valueOf(keyChars[i]).repeat(MetricPublisher.MAX_METADATA_KEY_LENGTH),
                    "\u0001".repeat(MetricPublisher.MAX_METADATA_VALUE_LENGTH));
        }
        return meta;
    }

    @Test
    void metadataAtEveryLimitIsStoredWithTheEventsAroundItAndVerifyAgrees() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(30)));
        Probe probe = new Probe("meta", "perf");
        GraceConfig config = config(dir, "node-a");
        Map<String, String> quotes = new java.util.HashMap<>();
        longestMetadata().keySet().forEach(k -> quotes.put(k, "\"".repeat(MetricPublisher.MAX_METADATA_VALUE_LENGTH)));
        PublishStats stats;
        try (GraceRuntime runtime = start(config, clock, probe)) {
            MetricPublisher p = probe.publisher();
            for (int i = 0; i < 100; i++) {
                assertThat(p.record(Probe.LATENCY, i, null, i == 10 ? longestMetadata() : i == 20 ? quotes : Map.of()))
                        .isTrue();
            }
            assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
            stats = runtime.stats();
        }
        assertThat(stats.rawDropped("meta")).isZero();
        assertThat(stats.rawRefused("meta")).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM metric_events")).isEqualTo(100);
        assertThat(scalar("SELECT MAX(LENGTH(metadata)) FROM metric_events")).isEqualTo(15_409);
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT metadata FROM metric_events WHERE event_value = 10")) {
            assertThat(rs.next()).isTrue();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readValue(rs.getString(1), Map.class))
                    .isEqualTo(longestMetadata());
        }
        try (GraceStore store = GraceStore.open(config, clock)) {
            assertThat(store.verify().differences()).isEmpty();
        }
    }

    @Test
    void rawEventsAreStoredWithTheirSeriesKeyAndVerifyAgrees() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(30)));
        SeriesProbe probe = new SeriesProbe("series", "fed");
        GraceConfig config = config(dir, "node-a");
        PublishStats stats;
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(probe).build().start()) {
            // values that need escaping in the key (',' and '\\') and beyond ASCII (COPY sends UTF-8)
            dev.grace.api.Kpi.Series billing = probe.publisher().series(SeriesProbe.LATENCY, "connector", "billing");
            dev.grace.api.Kpi.Series odd = probe.publisher().series(SeriesProbe.LATENCY, "connector", "a,b\\zürich");
            for (int i = 0; i < 3000; i++) {
                assertThat(billing.record(i % 100)).isTrue();
                if (i % 3 == 0) {
                    assertThat(odd.record(i % 7)).isTrue();
                    assertThat(probe.publisher().record(SeriesProbe.LATENCY, Map.of("connector", "erp"), 1.5)).isTrue();
                }
                if (i % 10 == 0) {
                    assertThat(probe.publisher().record(SeriesProbe.LATENCY, 2.5)).isTrue();
                }
            }
            assertThat(runtime.awaitRawEvents(Duration.ofSeconds(30))).isTrue();
            stats = runtime.stats();
        }
        assertThat(stats.rawDropped("series")).isZero();
        Map<String, Long> bySeries = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT series, COUNT(*) FROM metric_events GROUP BY series")) {
            while (rs.next()) {
                bySeries.put(rs.getString(1), rs.getLong(2));
            }
        }
        assertThat(bySeries).isEqualTo(Map.of("", 300L, "connector=billing", 3000L, "connector=erp", 1000L,
                "connector=a\\,b\\\\zürich", 1000L));
        assertThat(scalar("SELECT COUNT(*) FROM metric_events")).isEqualTo(stats.accepted("series"));
        try (GraceStore store = GraceStore.open(config, clock)) {
            assertThat(store.rollups("fed", "latency", Period.HOUR, H0)).singleElement()
                    .satisfies(r -> assertThat(r.count()).as("the total: every series").isEqualTo(5300));
            VerifyReport report = store.verify();
            assertThat(report.differences()).isEmpty();
            assertThat(report.hoursCompared()).isPositive();
        }
    }

    @Test
    void hostileMetadataStringsAndValuesAreStoredExactlyAsPublished() throws Exception {
        TestClock clock = new TestClock(H0);
        GraceConfig config = config(dir, "node-\u00e9\u6f22");
        List<Map<String, String>> metas = List.of(
                Map.of("tab", "a\tb", "newline", "a\nb\r\nc", "backslash", "\\", "end", "\\."),
                Map.of("null-marker", "\\N", "quote", "\"'\"", "empty", "", "copy-end", "\\.\n"),
                Map.of("control", "\u0001\u001f\u007f", "unicode", "\u00e9\u6f22\ud83d\ude00", "k\tey\\", "v"),
                Map.of());
        double[] values = {Double.MIN_VALUE, -Double.MAX_VALUE, 1e-300, 0.1 + 0.2, 42};
        List<dev.grace.runtime.RawEvent> batch = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            batch.add(new dev.grace.runtime.RawEvent("hostile", i % 2 == 0 ? "perf" : "p\u00e9rf",
                    i % 3 == 0 ? "latency" : "l\u6f22tency", i < values.length ? values[i] : i,
                    H0.toEpochMilli() + i, metas.get(i % metas.size())));
        }
        dev.grace.store.internal.StoreWriter writer = dev.grace.store.internal.StoreWriter.open(config,
                new dev.grace.runtime.internal.rollup.RollupRegistry(clock, Duration.ofHours(2), 4), clock);
        try {
            writer.accept(batch);
            assertThat(writer.rawEventsRefused()).isZero();
        } finally {
            writer.close();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int rows = 0;
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT node, domain, kpi, event_value, event_time, metadata FROM metric_events ORDER BY event_time")) {
            while (rs.next()) {
                dev.grace.runtime.RawEvent e = batch.get(rows++);
                assertThat(rs.getString(1)).isEqualTo("node-\u00e9\u6f22");
                assertThat(rs.getString(2)).isEqualTo(e.domain());
                assertThat(rs.getString(3)).isEqualTo(e.kpi());
                assertThat(Double.doubleToRawLongBits(rs.getDouble(4))).as("value of row %d", rows)
                        .isEqualTo(Double.doubleToRawLongBits(e.value()));
                assertThat(rs.getLong(5)).isEqualTo(e.epochMillis());
                String meta = rs.getString(6);
                if (e.metadata().isEmpty()) {
                    assertThat(meta).isNull();
                } else {
                    assertThat(json.readValue(meta, Map.class)).isEqualTo(e.metadata());
                }
            }
        }
        assertThat(rows).isEqualTo(batch.size());
    }

    @Test
    void rowsTheDatabaseRefusesAreCountedAndDroppedAloneAndTheRestOfTheBatchIsWritten() throws Exception {
        TestClock clock = new TestClock(H0);
        GraceConfig config = config(dir, "node-a");
        List<dev.grace.runtime.RawEvent> batch = new ArrayList<>();
        int refusedEverywhere = 0;
        int nul = 0;
        for (int i = 0; i < 4096; i++) {
            String domain = "perf";
            String plugin = "good";
            if (i == 0 || i == 1000 || i == 1001 || i == 4095) {
                domain = "d".repeat(65); // the column holds 64: refused by both databases
                plugin = "poison";
                refusedEverywhere++;
            } else if (i == 2000) {
                domain = "pe\u0000rf"; // PostgreSQL's text cannot hold NUL; H2's can
                plugin = "poison";
                nul++;
            }
            batch.add(new dev.grace.runtime.RawEvent(plugin, domain, "latency", i, H0.toEpochMilli() + i, Map.of()));
        }
        dev.grace.store.internal.StoreWriter writer = dev.grace.store.internal.StoreWriter.open(config,
                new dev.grace.runtime.internal.rollup.RollupRegistry(clock, Duration.ofHours(2), 4), clock);
        try {
            long started = System.nanoTime();
            writer.accept(batch);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            assertThat(writer.failedWrites()).isZero(); // nothing retried: a refusal is not a failure
            assertThat(writer.stuckSince()).isEmpty();
            long refused = writer.rawEventsRefused();
            assertThat(refused).isBetween((long) refusedEverywhere, (long) refusedEverywhere + nul);
            assertThat(writer.rawEventsRefusedByPlugin()).containsOnlyKeys("poison").containsEntry("poison", refused);
            assertThat(scalar("SELECT COUNT(*) FROM metric_events")).isEqualTo(4096 - refused);
            assertThat(scalar("SELECT COUNT(*) FROM metric_events WHERE domain = 'perf'")).isEqualTo(4096 - refusedEverywhere - nul);
            // written once each, in order
            assertThat(scalar("SELECT COUNT(DISTINCT event_value) FROM metric_events")).isEqualTo(4096 - refused);
            writer.accept(List.of(new dev.grace.runtime.RawEvent("good", "perf", "latency", 5000, H0.toEpochMilli(), Map.of())));
            assertThat(scalar("SELECT COUNT(*) FROM metric_events")).isEqualTo(4097 - refused);
        } finally {
            writer.close();
        }
    }

    @Test
    void theMetadataColumnHoldsTheLongestJsonThePublishersLimitsAllow() throws Exception {
        try (GraceRuntime runtime = start(config(dir, "node-a"), new TestClock(H0), new Probe("p", "perf"))) {
            // migrated
        }
        try (Connection c = connect(); ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), "%", "%")) {
            int width = -1;
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase("metric_events")
                        && rs.getString("COLUMN_NAME").equalsIgnoreCase("metadata")) {
                    width = rs.getInt("COLUMN_SIZE");
                }
            }
            // 8 keys of 64 and values of 256 characters, each escaped to 6: 15,409 characters
            int longest = 2 + (MetricPublisher.MAX_METADATA_KEYS - 1) + MetricPublisher.MAX_METADATA_KEYS
                    * (6 * MetricPublisher.MAX_METADATA_KEY_LENGTH + 6 * MetricPublisher.MAX_METADATA_VALUE_LENGTH + 5);
            assertThat(width).isGreaterThanOrEqualTo(longest);
        }
    }

    @Test
    void restartOnTheSameDataDirectoryResumesTheCurrentHourWithoutDoubleCounting() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(10)));
        GraceConfig config = config(dir, null); // the node id derived from host and data directory, twice the same
        for (int run = 0; run < 3; run++) {
            Probe probe = new Probe("restart", "ops");
            try (GraceRuntime runtime = start(config, clock, probe)) {
                for (int i = 1; i <= 1000; i++) {
                    probe.publisher().record(Probe.LATENCY, i);
                }
            }
            clock.set(clock.instant().plus(Duration.ofMinutes(5)));
        }
        try (GraceStore store = GraceStore.open(config, clock)) {
            PeriodRollup hour = store.rollups("ops", "latency", Period.HOUR, H0).get(0);
            assertThat(hour.count()).isEqualTo(3000);
            assertThat(hour.sum()).isEqualTo(3 * 500_500.0);
            assertThat(hour.min()).isEqualTo(1);
            assertThat(hour.max()).isEqualTo(1000);
            assertThat(hour.nodes()).isEqualTo(1);
            assertThat(store.rollups("ops", "latency", Period.DAY, H0).get(0).count()).isEqualTo(3000);
            assertThat(store.verify().differences()).isEmpty();
        }
    }

    /**
     * Issue 21: values accepted while the runtime starts (in {@code start()}, and from plugins already
     * running while later ones start) and while it stops (up to and in {@code stop()}) are in the
     * stored hour, across restarts within the hour. Each plugin's start and stop linger, publishing,
     * so every start-up and shut-down step of the runtime meets values; several cycles and a store
     * that flushes every 50 ms make a lucky ordering unlikely to hide a window.
     */
    @Test
    void valuesAcceptedWhilePluginsStartAndStopAreStoredExactlyAcrossRestartsInOneHour() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(5)));
        GraceConfig config = config(dir, null);
        List<String> ids = List.of("eager", "slow", "slower");
        List<Duration> lingers = List.of(Duration.ZERO, Duration.ofMillis(30), Duration.ofMillis(80));
        Map<String, AtomicLong> accepted = new TreeMap<>();
        ids.forEach(id -> accepted.put(id, new AtomicLong()));
        for (int cycle = 1; cycle <= 6; cycle++) {
            GraceRuntime.Builder builder = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false);
            for (int i = 0; i < ids.size(); i++) {
                builder.plugin(new BusyProbe(ids.get(i), ids.get(i), lingers.get(i), accepted.get(ids.get(i))));
            }
            GraceRuntime runtime = builder.build();
            try (runtime) {
                runtime.start();
                Thread.sleep(20); // a little running time between the start and the stop
            }
            assertThat(runtime.stats().totalRawDropped()).isZero(); // so verify has every raw event to compare with
            try (GraceStore store = GraceStore.open(config, clock)) {
                for (String id : ids) {
                    List<PeriodRollup> hours = store.rollups(id, "latency", Period.HOUR, H0);
                    assertThat(hours).as("cycle %d, %s", cycle, id).singleElement()
                            .extracting(PeriodRollup::count).isEqualTo(accepted.get(id).get());
                }
                assertThat(store.verify().differences()).as("cycle %d", cycle).isEmpty();
            }
            clock.advance(Duration.ofMinutes(5));
        }
    }

    @Test
    void threeRuntimesOnOneDatabaseEachWriteOnlyTheirOwnRowsAndReadersMergeThem() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(30)));
        List<GraceRuntime> runtimes = new ArrayList<>();
        List<Probe> probes = new ArrayList<>();
        try {
            for (int n = 0; n < 3; n++) {
                Probe probe = new Probe("shared", "fleet");
                probes.add(probe);
                runtimes.add(start(config(dir.resolve("n" + n), "node-" + n), clock, probe));
            }
            List<Thread> threads = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                MetricPublisher p = probes.get(n).publisher();
                int node = n;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        p.record(Probe.LATENCY, node + 1);
                        if (i % 10 == 0) {
                            p.record(Probe.LATENCY, node + 1, H0.minus(Duration.ofMinutes(30)), Map.of("n", "" + node));
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            runtimes.forEach(GraceRuntime::close);
        }
        try (GraceStore store = GraceStore.open(config(dir.resolve("n0"), "node-0"), clock)) {
            List<PeriodRollup> hours = store.rollups("fleet", "latency", Period.HOUR, H0.minus(Duration.ofHours(1)));
            assertThat(hours).extracting(PeriodRollup::count).containsExactly(3 * 2_000L, 3 * 20_000L);
            assertThat(hours).extracting(PeriodRollup::sum).containsExactly(2_000.0 * 6, 20_000.0 * 6);
            assertThat(hours).extracting(PeriodRollup::nodes).containsExactly(3, 3);
            assertThat(store.verify().differences()).isEmpty();
        }
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE domain = 'fleet' AND period = 'hour'")).isEqualTo(6);
        // each node's row holds exactly that node's values
        for (int n = 0; n < 3; n++) {
            assertThat(scalar("SELECT SUM(count) FROM metrics_rollups WHERE period = 'hour' AND node = 'node-" + n
                    + "' AND sum = " + (n + 1) + " * count")).isEqualTo(22_000);
        }
    }

    @Test
    void aRunningRuntimeReadsWhatItFlushedThroughItsQueryApi() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(1)));
        Probe probe = new Probe("live", "ops");
        try (GraceRuntime runtime = start(config(dir, "reader"), clock, probe)) {
            for (int i = 1; i <= 10; i++) {
                probe.publisher().record(Probe.LATENCY, i);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<PeriodRollup> hours = List.of();
            while (System.nanoTime() < deadline) { // flushed within an interval (50 ms here)
                hours = runtime.storedRollups().rollups("ops", "latency", Period.HOUR, H0);
                if (!hours.isEmpty() && hours.get(0).count() == 10) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(hours).singleElement().satisfies(h -> {
                assertThat(h.count()).isEqualTo(10);
                assertThat(h.mean()).isEqualTo(5.5);
                assertThat(h.p50()).isCloseTo(5, within(0.06));
                assertThat(h.start()).isEqualTo(H0);
            });
        }
    }

    @Test
    void rawEventsPastRetentionArePurgedCountedAndAudited() throws Exception {
        TestClock clock = new TestClock(H0);
        GraceConfig config = config(dir, "keeper");
        Probe probe = new Probe("old", "ops");
        try (GraceRuntime runtime = start(config, clock, probe)) {
            probe.publisher().record(Probe.LATENCY, 1);
            probe.publisher().record(Probe.LATENCY, 2);
        }
        assertThat(scalar("SELECT COUNT(*) FROM metric_events")).isEqualTo(2);
        clock.set(H0.plus(Duration.ofDays(8)));
        Probe later = new Probe("old", "ops");
        try (GraceRuntime runtime = start(config, clock, later)) {
            later.publisher().record(Probe.LATENCY, 3);
        }
        // the writer purges when it starts and every hour after
        assertThat(scalar("SELECT COUNT(*) FROM audit_log WHERE kind = 'retention' AND detail LIKE 'purged 2 raw events%'"))
                .isEqualTo(1);
        assertThat(scalar("SELECT COUNT(*) FROM metric_events")).isEqualTo(1);
        // the hourly rollup (90 days) outlives its raw events
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour'")).isEqualTo(2);

        // 91 days on: the first hour is past the hourly retention, the hour 8 days later is not,
        // and every day row is well inside the daily retention (730 days)
        clock.set(H0.plus(Duration.ofDays(91)));
        Probe third = new Probe("old", "ops");
        try (GraceRuntime runtime = start(config, clock, third)) {
            third.publisher().record(Probe.LATENCY, 4);
        }
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour' AND period_start = "
                + H0.toEpochMilli())).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour'")).isEqualTo(2);
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'day'")).isEqualTo(3);
        assertThat(scalar("SELECT COUNT(*) FROM audit_log WHERE kind = 'retention'")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theAuditLogIsHashChainedAndVerifyNamesTheFirstBrokenRow() throws Exception {
        TestClock clock = new TestClock(H0);
        GraceConfig config = config(dir, "auditor");
        for (int run = 0; run < 2; run++) {
            try (GraceRuntime runtime = start(config, clock, new Probe("audited", "ops"))) {
                assertThat(runtime.storeLocation()).isPresent();
            }
        }
        long rows = scalar("SELECT COUNT(*) FROM audit_log");
        assertThat(rows).isGreaterThanOrEqualTo(6); // started, plugin started, closed, twice (+ the migration)
        assertThat(scalar("SELECT COUNT(*) FROM audit_log WHERE kind = 'plugin-started' AND detail = 'audited'")).isEqualTo(2);
        try (GraceStore store = GraceStore.open(config, clock)) {
            assertThat(store.verifyAudit()).isEqualTo(new AuditVerdict(rows, java.util.Optional.empty()));
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3");
            }
            assertThat(store.verifyAudit().firstBroken()).contains("row 3 was changed (its hash does not match its fields)");
        }
    }

    // --- series (docs/attributes.md) ---------------------------------------------------------------

    /** Records {@code n} values on a series: {@code base + i/100} for i = 1..n. */
    private static void record(Kpi.Series series, int n, double base) {
        for (int i = 1; i <= n; i++) {
            assertThat(series.record(base + i / 100.0)).isTrue();
        }
    }

    /**
     * Three hours (22:00 and 23:00 on Sunday, 00:00 on Monday: two days, two ISO weeks) of five series,
     * one of them the overflow series; no value without attributes, so each hour's total is exactly the
     * merge of its series.
     */
    @Test
    void seriesRowsAreStoredPerHourDayAndWeekAndTheirGroupsAddUpToTheTotal() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(10)));
        SeriesProbe probe = new SeriesProbe("series", "fed");
        GraceConfig config = config(dir, "node-a");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(probe).build().start()) {
            Kpi.Series aEu = probe.series("a", "eu");
            Kpi.Series bEu = probe.series("b", "eu");
            Kpi.Series aUs = probe.series("a", "us");
            Kpi.Series cEu = probe.series("c", "eu");
            Kpi.Series dUs = probe.series("d", "us"); // the fifth set: the overflow series
            record(aEu, 100, 0);
            record(bEu, 50, 10);
            record(aUs, 20, 5);
            record(cEu, 4, 2);
            record(dUs, 7, 3);
            clock.advance(Duration.ofHours(1));
            runtime.turnHour();
            record(aEu, 10, 1);
            record(bEu, 5, 20);
            clock.advance(Duration.ofHours(1));
            runtime.turnHour();
            record(aUs, 3, 7);
            record(dUs, 2, 4);
            assertThat(runtime.stats().seriesOverflow("series")).isEqualTo(9);
        }
        long h0 = H0.toEpochMilli();
        try (GraceStore store = GraceStore.open(config, clock)) {
            List<PeriodRollup> byConnector = store.rollupsBy("fed", "latency", "connector", Period.HOUR, H0);
            assertThat(byConnector).extracting(r -> r.start().toEpochMilli() - h0, PeriodRollup::series,
                    PeriodRollup::count).containsExactly(
                    tuple(0L, "_overflow", 7L), tuple(0L, "connector=a", 120L), tuple(0L, "connector=b", 50L),
                    tuple(0L, "connector=c", 4L),
                    tuple(HOUR, "connector=a", 10L), tuple(HOUR, "connector=b", 5L),
                    tuple(2 * HOUR, "_overflow", 2L), tuple(2 * HOUR, "connector=a", 3L));
            PeriodRollup a0 = byConnector.get(1);
            assertThat(a0.sum()).isCloseTo(50.5 + 20 * 5 + 20 * 21 / 2 / 100.0, within(1e-9));
            assertThat(a0.min()).isEqualTo(0.01);
            assertThat(a0.max()).isEqualTo(5.2);
            assertThat(a0.p50()).as("the 60th of 120 values, from the merged sketches").isCloseTo(0.60, within(0.02));
            assertThat(a0.attributes()).isEqualTo(Map.of("connector", "a"));
            assertThat(a0.nodes()).isEqualTo(1);
            assertThat(store.rollupsBy("fed", "latency", "region", Period.HOUR, H0))
                    .extracting(r -> r.start().toEpochMilli() - h0, PeriodRollup::series, PeriodRollup::count)
                    .containsExactly(tuple(0L, "_overflow", 7L), tuple(0L, "region=eu", 154L),
                            tuple(0L, "region=us", 20L), tuple(HOUR, "region=eu", 15L),
                            tuple(2 * HOUR, "_overflow", 2L), tuple(2 * HOUR, "region=us", 3L));

            // the totals: one row per hour, each the merge of its series
            for (Period period : Period.values()) {
                List<PeriodRollup> totals = store.rollups("fed", "latency", period, H0);
                List<PeriodRollup> groups = store.rollupsBy("fed", "latency", "connector", period, H0);
                assertThat(totals).as("%s totals", period).allSatisfy(t -> assertThat(t.isTotal()).isTrue());
                for (PeriodRollup t : totals) {
                    List<PeriodRollup> of = groups.stream().filter(g -> g.start().equals(t.start())).toList();
                    assertThat(of.stream().mapToLong(PeriodRollup::count).sum()).as("%s %s", period, t.start())
                            .isEqualTo(t.count());
                    assertThat(of.stream().mapToDouble(PeriodRollup::sum).sum()).isCloseTo(t.sum(), within(1e-9));
                    assertThat(of.stream().mapToDouble(PeriodRollup::min).min().orElseThrow()).isEqualTo(t.min());
                    assertThat(of.stream().mapToDouble(PeriodRollup::max).max().orElseThrow()).isEqualTo(t.max());
                }
            }
            assertThat(store.rollups("fed", "latency", Period.HOUR, H0)).extracting(PeriodRollup::count)
                    .containsExactly(181L, 15L, 5L);
            // days and weeks per series, merged from its hours: Sunday (and its week), then Monday
            assertThat(store.rollupsBy("fed", "latency", "connector", Period.DAY, H0))
                    .extracting(PeriodRollup::series, PeriodRollup::count).containsExactly(
                            tuple("_overflow", 7L), tuple("connector=a", 130L), tuple("connector=b", 55L),
                            tuple("connector=c", 4L), tuple("_overflow", 2L), tuple("connector=a", 3L));
            assertThat(store.rollupsBy("fed", "latency", "connector", Period.WEEK, H0))
                    .extracting(PeriodRollup::series, PeriodRollup::count).containsExactly(
                            tuple("_overflow", 7L), tuple("connector=a", 130L), tuple("connector=b", 55L),
                            tuple("connector=c", 4L), tuple("_overflow", 2L), tuple("connector=a", 3L));
            assertThat(store.rollupsBy("fed", "latency", "model", Period.HOUR, H0))
                    .as("a key no stored series carries: only the overflow series")
                    .extracting(PeriodRollup::series).containsOnly("_overflow");
            assertThat(store.seriesKeys("fed", "latency")).containsExactly("connector", "region", "_overflow");
            assertThat(store.seriesKeys("fed", "nothing")).isEmpty();
            assertThat(store.verify().differences()).as("verify compares the totals with the raw events").isEmpty();
        }
        // rows: 5 + 2 + 2 series hours beside 3 total hours
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour' AND series <> ''")).isEqualTo(9);
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour' AND series = ''")).isEqualTo(3);
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour' AND series"
                + " = 'connector=a,region=eu'")).isEqualTo(2);
    }

    @Test
    void twoNodesSeriesRowsAreTheirOwnAndTheReaderMergesThemPerSeries() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(30)));
        List<GraceRuntime> runtimes = new ArrayList<>();
        try {
            for (int n = 0; n < 2; n++) {
                SeriesProbe probe = new SeriesProbe("shared", "fleet");
                runtimes.add(GraceRuntime.builder().config(config(dir.resolve("n" + n), "node-" + n)).clock(clock)
                        .discoverClasspath(false).plugin(probe).build().start());
                Kpi.Series a = probe.series("a", "eu");
                for (int i = 0; i < 1_000; i++) {
                    a.record(n + 1);
                }
                if (n == 1) {
                    probe.series("b", "eu").record(9);
                }
            }
        } finally {
            runtimes.forEach(GraceRuntime::close);
        }
        try (GraceStore store = GraceStore.open(config(dir.resolve("n0"), "node-0"), clock)) {
            assertThat(store.rollupsBy("fleet", "latency", "connector", Period.HOUR, H0))
                    .extracting(PeriodRollup::series, PeriodRollup::count, PeriodRollup::sum, PeriodRollup::nodes)
                    .containsExactly(tuple("connector=a", 2_000L, 3_000.0, 2), tuple("connector=b", 1L, 9.0, 1));
            assertThat(store.rollupsBy("fleet", "latency", "region", Period.DAY, H0))
                    .extracting(PeriodRollup::series, PeriodRollup::count, PeriodRollup::max, PeriodRollup::nodes)
                    .containsExactly(tuple("region=eu", 2_001L, 9.0, 2));
            assertThat(store.rollups("fleet", "latency", Period.HOUR, H0))
                    .extracting(PeriodRollup::count, PeriodRollup::nodes).containsExactly(tuple(2_001L, 2));
        }
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour' AND node = 'node-0'"
                + " AND series <> ''")).isEqualTo(1);
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour' AND node = 'node-1'"
                + " AND series <> ''")).isEqualTo(2);
    }

    @Test
    void restartsInOneHourAddToTheSeriesRowsTheyLeftWithoutDoubleCounting() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(10)));
        GraceConfig config = config(dir, "node-a");
        for (int run = 0; run < 3; run++) {
            SeriesProbe probe = new SeriesProbe("restart", "ops");
            try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                    .plugin(probe).build().start()) {
                Kpi.Series a = probe.series("a", "eu");
                for (int i = 1; i <= 100; i++) {
                    a.record(i);
                }
                probe.series("b", "us").record(run);
            }
            clock.advance(Duration.ofMinutes(5));
        }
        try (GraceStore store = GraceStore.open(config, clock)) {
            assertThat(store.rollupsBy("ops", "latency", "connector", Period.HOUR, H0))
                    .extracting(PeriodRollup::series, PeriodRollup::count, PeriodRollup::sum)
                    .containsExactly(tuple("connector=a", 300L, 3 * 5_050.0), tuple("connector=b", 3L, 3.0));
            assertThat(store.rollupsBy("ops", "latency", "connector", Period.DAY, H0))
                    .extracting(PeriodRollup::count).containsExactly(300L, 3L);
            assertThat(store.rollups("ops", "latency", Period.HOUR, H0)).extracting(PeriodRollup::count)
                    .containsExactly(303L);
        }
    }

    @Test
    void retentionPurgesSeriesRowsWithTheTotalsOfTheirPeriod() throws Exception {
        TestClock clock = new TestClock(H0);
        GraceConfig config = config(dir, "keeper");
        SeriesProbe probe = new SeriesProbe("old", "ops");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(probe).build().start()) {
            probe.series("a", "eu").record(1);
            probe.series("b", "eu").record(2);
        }
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour'")).isEqualTo(3);
        // 91 days on: the first hour is past the hourly retention (90 days), its days are not (730)
        clock.set(H0.plus(Duration.ofDays(91)));
        SeriesProbe later = new SeriesProbe("old", "ops");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(later).build().start()) {
            later.series("a", "eu").record(3);
        }
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour' AND period_start = "
                + H0.toEpochMilli())).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour'")).as("the later hour's")
                .isEqualTo(2);
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE period = 'day' AND series <> ''")).isEqualTo(3);
        assertThat(scalar("SELECT COUNT(*) FROM audit_log WHERE kind = 'retention'"
                + " AND detail LIKE '%, 3 hourly, 0 daily and 0 weekly rollups past retention'")).isEqualTo(1);
        try (GraceStore store = GraceStore.open(config, clock)) {
            assertThat(store.rollupsBy("ops", "latency", "connector", Period.HOUR, H0)).extracting(PeriodRollup::count)
                    .containsExactly(1L);
            assertThat(store.rollupsBy("ops", "latency", "connector", Period.DAY, H0))
                    .extracting(PeriodRollup::series, PeriodRollup::count)
                    .containsExactly(tuple("connector=a", 1L), tuple("connector=b", 1L), tuple("connector=a", 1L));
        }
    }

    /**
     * V6 on a database a V5 build wrote: its rows become the KPIs' totals (series {@code ''}), nothing
     * rewritten or lost, and this build goes on writing the same hour's total on top of them beside
     * its new series rows.
     */
    @Test
    void rowsStoredBeforeSeriesSurviveTheMigrationAsTotalsAndTheHourGoesOn() throws Exception {
        org.flywaydb.core.Flyway.configure().dataSource(store().url(), null, null)
                .locations("classpath:db/migration").target("5").load().migrate();
        var sketch = dev.grace.runtime.internal.rollup.Sketches.newSketch();
        for (double v : new double[] {1, 2, 3}) {
            sketch.accept(v);
        }
        byte[] encoded = dev.grace.runtime.HourlyRollup.of("fed", "latency", H0.toEpochMilli(), 3, 6, 1, 3, 14, sketch)
                .sketchEncoded();
        try (Connection c = connect(); java.sql.PreparedStatement insert = c.prepareStatement(
                "INSERT INTO metrics_rollups (node, domain, kpi, period, period_start, count, sum, min, max,"
                        + " sum_of_squares, sketch, updated_at) VALUES ('node-a', 'fed', 'latency', ?, ?, 3, 6, 1, 3,"
                        + " 14, ?, 0)")) {
            for (String period : List.of("hour", "day", "week")) {
                insert.setString(1, period);
                insert.setLong(2, Period.valueOf(period.toUpperCase(java.util.Locale.ROOT)).start(H0.toEpochMilli()));
                insert.setBytes(3, encoded);
                insert.executeUpdate();
            }
        }
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(20)));
        GraceConfig config = config(dir, "node-a");
        try (GraceStore store = GraceStore.open(config, clock)) {
            assertThat(store.info().schemaVersion()).isEqualTo("5");
            assertThat(store.migrate()).as("V6, rollup series; V7, raw events' series; V8, the hour index;"
                    + " V9, the events' subject width").hasSize(4);
            assertThat(store.info().schemaVersion()).isEqualTo("9");
        }
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups WHERE series = ''")).isEqualTo(3);
        SeriesProbe probe = new SeriesProbe("after", "fed");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(probe).build().start()) {
            probe.series("a", "eu").record(10);
            probe.publisher().record(SeriesProbe.LATENCY, 4);
        }
        try (GraceStore store = GraceStore.open(config, clock)) {
            for (Period period : Period.values()) {
                assertThat(store.rollups("fed", "latency", period, H0)).as("%s", period).singleElement()
                        .satisfies(r -> {
                            assertThat(r.count()).isEqualTo(5);
                            assertThat(r.sum()).isEqualTo(20);
                            assertThat(r.max()).isEqualTo(10);
                            assertThat(r.p50()).isCloseTo(3, within(0.03));
                        });
                assertThat(store.rollupsBy("fed", "latency", "connector", period, H0))
                        .extracting(PeriodRollup::series, PeriodRollup::count).containsExactly(tuple("connector=a", 1L));
            }
        }
    }

    @Test
    void aSchemaNewerThanThisBuildRefusesToStartAndWritesNothing() throws Exception {
        TestClock clock = new TestClock(H0);
        GraceConfig config = config(dir, "old-build");
        try (GraceStore store = GraceStore.open(config, clock)) {
            store.migrate();
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // Flyway's own table, with lower-case quoted names on both databases
            s.executeUpdate("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\","
                    + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                    + " VALUES (99, '99', 'from the future', 'SQL',"
                    + " 'V99__future.sql', 0, 'test', 1, TRUE)");
        }
        long audit = scalar("SELECT COUNT(*) FROM audit_log");
        GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(new Probe("future", "ops")).build();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(runtime::start)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("has schema version 99, newer than this build's 9");
        } finally {
            runtime.close();
        }
        assertThat(scalar("SELECT COUNT(*) FROM audit_log")).isEqualTo(audit);
        assertThat(scalar("SELECT COUNT(*) FROM metrics_rollups")).isZero();
    }
}
