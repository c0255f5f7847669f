package dev.grace.store;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's existing {@code grace-data} survives an H2 upgrade: {@code h2-2.3.232/store/grace.mv.db} (a
 * {@code grace-data} directory's {@code store/}, named so to stay clear of .gitignore's {@code grace-data/})
 * was written by H2 2.3.232 through Grace's own store (schema version 4), and this build's H2 opens it,
 * migrates it (V5, V6: its rows become KPI totals, series {@code ''}), reads back the same rollups and raw
 * events, and a runtime goes on writing into it.
 *
 * <p>The fixture holds, from 2026-11-22T22:00Z ({@link #H0}) on, three hours {@code h} = 0, 1, 2 of
 * node {@code node-a}: in each, {@code perf.latency} = {@code i/2 + h} for {@code i} = 1..{@code 40+10h}
 * (each with metadata {@code i}), and {@code ops.latency} = {@code i} for every fourth of those {@code i}.
 * Every value is exact in binary, so sums compare exactly. Regenerate it only with the previous H2
 * release, never with this build's, or the test proves nothing.
 */
class H2FileFromPreviousVersionTest {

    static final Instant H0 = Instant.parse("2026-11-22T22:00:00Z");
    static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    @Test
    void aStoreWrittenByH2_2_3_232OpensWithItsRollupsAndRawEventsAndARuntimeWritesOn() throws Exception {
        Path data = dir.resolve("grace-data");
        copyFixture(data.resolve("store/grace.mv.db"));
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(170)));
        GraceConfig config = GraceConfig.defaults().withDataDir(data).withNodeId("node-a").withPluginsDirs(List.of())
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(3), true, 1 << 20))
                .withStore(GraceConfig.Store.defaults().withFlushInterval(Duration.ofMillis(50)));

        try (GraceStore store = GraceStore.open(config, clock)) {
            DbInfo info = store.info();
            assertThat(info.schemaVersion()).isEqualTo("4");
            assertThat(info.pending()).as("V5, the guard's kpi_flags; V6, rollup series; V7, raw events' series;"
                    + " V8, the hour index after the key; V9, the events' subject width").isEqualTo(5);
            List<String> applied = store.migrate();
            assertThat(applied).hasSize(5).first().asString().startsWith("5 ");
            assertThat(applied).last().asString().startsWith("9 ");
            assertThat(store.info().schemaVersion()).isEqualTo("9");
            assertThat(store.info().pending()).isZero();
            assertThat(rawEventsOfSeries(data, "")).as("rows stored before series are the KPIs' totals").isEqualTo(187);
            assertPerfHours(store, 40, 50, 60);
            // every row stored before series is a KPI's total: read as totals, none as a series
            assertThat(rollupRows(data, "series = ''")).isEqualTo(rollupRows(data, "1 = 1")).isEqualTo(14);
            assertThat(store.rollupsBy("perf", "latency", "connector", Period.HOUR, H0)).isEmpty();
            assertThat(store.seriesKeys("perf", "latency")).isEmpty();
            List<PeriodRollup> ops = store.rollups("ops", "latency", Period.HOUR, H0);
            assertThat(ops).extracting(PeriodRollup::count).containsExactly(10L, 12L, 15L);
            assertThat(ops).extracting(PeriodRollup::sum).containsExactly(220.0, 312.0, 480.0);
            assertThat(store.rollups("perf", "latency", Period.DAY, H0)).extracting(PeriodRollup::count)
                    .containsExactly(90L, 60L);
            assertThat(rawEvents(data)).isEqualTo(Map.of("perf", 150L, "ops", 37L));
            VerifyReport report = store.verify();
            assertThat(report.differences()).isEmpty();
            assertThat(report.hoursCompared()).isEqualTo(6);
            assertThat(store.verifyAudit().ok()).isTrue();
        }

        Probe perf = new Probe("load", "perf");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(perf).build().start()) {
            assertThat(perf.publisher().record(Probe.LATENCY, 61 * 0.5 + 2)).isTrue(); // i = 61 of hour 2
            assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
        }

        try (GraceStore store = GraceStore.open(config, clock)) {
            assertPerfHours(store, 40, 50, 61);
            assertThat(rawEvents(data)).isEqualTo(Map.of("perf", 151L, "ops", 37L));
            VerifyReport report = store.verify();
            assertThat(report.differences()).isEmpty();
            assertThat(report.hoursCompared()).isEqualTo(6);
            assertThat(store.verifyAudit().ok()).isTrue();
        }
    }

    /** perf.latency's hourly rollups when hour {@code h} holds {@code i/2 + h} for i = 1..counts[h]. */
    private static void assertPerfHours(GraceStore store, int... counts) {
        List<PeriodRollup> hours = store.rollups("perf", "latency", Period.HOUR, H0);
        assertThat(hours).hasSize(counts.length);
        for (int h = 0; h < counts.length; h++) {
            PeriodRollup r = hours.get(h);
            long n = counts[h];
            assertThat(r.start()).isEqualTo(H0.plusMillis(h * HOUR));
            assertThat(r.count()).isEqualTo(n);
            assertThat(r.sum()).isEqualTo(0.5 * n * (n + 1) / 2 + h * n);
            assertThat(r.min()).isEqualTo(0.5 + h);
            assertThat(r.max()).isEqualTo(0.5 * n + h);
            assertThat(r.nodes()).isEqualTo(1);
        }
    }

    /** {@code metrics_rollups} rows matching {@code where}. */
    private static long rollupRows(Path data, String where) throws SQLException {
        String url = "jdbc:h2:async:" + data.resolve("store/grace").toAbsolutePath().normalize();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM metrics_rollups WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> rawEvents(Path data) throws SQLException {
        // the name the store opens the file by (SharedH2File: async:), so that this connection joins the
        // database the store holds open in this JVM rather than locking the file against it
        String url = "jdbc:h2:async:" + data.resolve("store/grace").toAbsolutePath().normalize();
        Map<String, Long> counts = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT domain, COUNT(*) FROM metric_events GROUP BY domain")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static long rawEventsOfSeries(Path data, String series) throws SQLException {
        String url = "jdbc:h2:async:" + data.resolve("store/grace").toAbsolutePath().normalize();
        try (Connection c = DriverManager.getConnection(url);
             java.sql.PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM metric_events WHERE series = ?")) {
            s.setString(1, series);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void copyFixture(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = H2FileFromPreviousVersionTest.class.getResourceAsStream(
                "/h2-2.3.232/store/grace.mv.db")) {
            assertThat(in).as("the H2 2.3.232 fixture on the test class path").isNotNull();
            Files.copy(in, target);
        }
    }
}
