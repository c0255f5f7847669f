package dev.grace.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grace.api.Kpi;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's flush, driven by hand against an H2 server that the test stops and starts. */
class StoreWriterTest {

    static final Instant H0 = Instant.parse("2026-11-22T10:00:00Z");
    static final long HOUR = 3_600_000L;
    static final Kpi KPI = Kpi.builder("latency", Kpi.Unit.SECONDS).build();
    static final Kpi SERIES_KPI = Kpi.builder("latency", Kpi.Unit.SECONDS).attribute("connector").build();

    @TempDir
    Path dir;

    @Test
    void moreUnsentHoursThanTheBoundDropTheOldestAndCountIt() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", dir.toString()};
        Server server = Server.createTcpServer(args).start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/grace";
        GraceConfig.Store settings = GraceConfig.Store.defaults().withUrl(url).withMaxUnsentHours(2);
        Clock clock = Clock.fixed(H0.plus(Duration.ofMinutes(150)), ZoneOffset.UTC);
        RollupRegistry registry = new RollupRegistry(clock, Duration.ofHours(3), 48);
        KpiAccumulator acc = registry.register("p", "ops", KPI);
        Database db = Database.connect(GraceConfig.defaults().withDataDir(dir).withStore(settings));
        db.migrate();
        StoreWriter writer = new StoreWriter(db, "n1", settings, registry, clock);
        try {
            server.stop();
            for (int h = 0; h < 3; h++) {
                acc.addAt(H0.toEpochMilli() + h * HOUR + 1, 10 + h);
            }
            assertThatThrownBy(writer::flush).isInstanceOf(RuntimeException.class);
            assertThat(writer.droppedHours()).isEqualTo(1);

            server = Server.createTcpServer(args).start();
            writer.flush();
            assertThat(writer.droppedHours()).isEqualTo(1);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT period_start, sum FROM metrics_rollups WHERE period = 'hour'"
                         + " ORDER BY period_start")) {
                List<Long> hours = new ArrayList<>();
                while (rs.next()) {
                    hours.add(rs.getLong(1));
                }
                assertThat(hours).containsExactly(H0.toEpochMilli() + HOUR, H0.toEpochMilli() + 2 * HOUR);
            }
        } finally {
            db.close();
            server.stop();
        }
    }

    /**
     * A database that fails may have lost commits it acknowledged before (H2 loses what MVStore had
     * not saved when its file channel fails; a connection that dies mid-commit tells nothing). Here
     * the acknowledged row of hour 0 is deleted behind the writer's back, as such a loss leaves it,
     * then a write fails: the retry writes hour 0 again although it did not change. Before, only
     * hours changed since the last acknowledged write were retried, and hour 0 stayed lost.
     */
    @Test
    void afterAFailedWriteEveryHourHeldIsWrittenAgainNotOnlyTheChangedOnes() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", dir.toString()};
        Server server = Server.createTcpServer(args).start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/grace";
        GraceConfig.Store settings = GraceConfig.Store.defaults().withUrl(url).withMaxUnsentHours(1);
        Clock clock = Clock.fixed(H0.plus(Duration.ofMinutes(90)), ZoneOffset.UTC);
        RollupRegistry registry = new RollupRegistry(clock, Duration.ofHours(3), 48);
        KpiAccumulator acc = registry.register("p", "ops", KPI);
        Database db = Database.connect(GraceConfig.defaults().withDataDir(dir).withStore(settings));
        db.migrate();
        StoreWriter writer = new StoreWriter(db, "n1", settings, registry, clock);
        try {
            for (int i = 0; i < 10; i++) {
                acc.addAt(H0.toEpochMilli() + i, 5);
            }
            writer.flush();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("DELETE FROM metrics_rollups WHERE period = 'hour' AND period_start = "
                        + H0.toEpochMilli())).isEqualTo(1);
            }
            server.stop();
            acc.addAt(H0.toEpochMilli() + HOUR + 1, 7); // hour 1 changes; hour 0 does not
            assertThatThrownBy(writer::flush).isInstanceOf(RuntimeException.class);

            server = Server.createTcpServer(args).start();
            writer.flush();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT period_start, count FROM metrics_rollups WHERE period = 'hour'"
                         + " ORDER BY period_start")) {
                List<Long> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getLong(1));
                    rows.add(rs.getLong(2));
                }
                assertThat(rows).containsExactly(H0.toEpochMilli(), 10L, H0.toEpochMilli() + HOUR, 1L);
            }
            assertThat(writer.droppedHours()).as("re-sent hours do not count against maxUnsentHours").isZero();
        } finally {
            db.close();
            server.stop();
        }
    }

    /**
     * The same for series rows: the acknowledged row of one series is lost behind the writer's back,
     * a write fails, and the retry writes that series' row again (with its day and week) although only
     * another series changed; the rows of the total and the other series are written once each.
     */
    @Test
    void afterAFailedWriteEverySeriesHourHeldIsWrittenAgainToo() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", dir.toString()};
        Server server = Server.createTcpServer(args).start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/grace";
        GraceConfig.Store settings = GraceConfig.Store.defaults().withUrl(url);
        Clock clock = Clock.fixed(H0.plus(Duration.ofMinutes(30)), ZoneOffset.UTC);
        RollupRegistry registry = new RollupRegistry(clock, Duration.ofHours(3), 48);
        KpiAccumulator acc = registry.register("p", "ops", SERIES_KPI);
        KpiAccumulator a = acc.series(Map.of("connector", "a"));
        KpiAccumulator b = acc.series(Map.of("connector", "b"));
        Database db = Database.connect(GraceConfig.defaults().withDataDir(dir).withStore(settings));
        db.migrate();
        StoreWriter writer = new StoreWriter(db, "n1", settings, registry, clock);
        try {
            for (int i = 0; i < 10; i++) {
                a.addAt(H0.toEpochMilli() + i, 5);
            }
            b.addAt(H0.toEpochMilli() + 1, 7);
            writer.flush();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("DELETE FROM metrics_rollups WHERE series = 'connector=a'")).isEqualTo(3);
            }
            server.stop();
            b.addAt(H0.toEpochMilli() + 2, 7); // series b changes; series a does not
            assertThatThrownBy(writer::flush).isInstanceOf(RuntimeException.class);

            server = Server.createTcpServer(args).start();
            writer.flush();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT period, series, count FROM metrics_rollups"
                         + " ORDER BY period, series")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + " '" + rs.getString(2) + "' " + rs.getLong(3));
                }
                assertThat(rows).containsExactly("day '' 12", "day 'connector=a' 10", "day 'connector=b' 2",
                        "hour '' 12", "hour 'connector=a' 10", "hour 'connector=b' 2",
                        "week '' 12", "week 'connector=a' 10", "week 'connector=b' 2");
            }
        } finally {
            db.close();
            server.stop();
        }
    }

    /**
     * What H2 closing under the runtime does (its JVM shutdown hook, issue 21): the batch's transaction
     * commits, then releasing the connection fails, so the writer sees a failure and retries a batch
     * that is stored. The retry must store nothing.
     */
    @Test
    void aRawEventBatchCommittedButReportedAsFailedIsNotStoredTwice() throws Exception {
        GraceConfig.Store settings = GraceConfig.Store.defaults().withUrl("jdbc:h2:file:" + dir.resolve("db"));
        Clock clock = Clock.fixed(H0, ZoneOffset.UTC);
        Database db = Database.connect(GraceConfig.defaults().withDataDir(dir).withStore(settings));
        db.migrate();
        StoreWriter writer = new StoreWriter(db, "n1", settings, new RollupRegistry(clock, Duration.ofHours(3), 48),
                clock);
        java.util.concurrent.atomic.AtomicInteger closesToFail = new java.util.concurrent.atomic.AtomicInteger();
        db.jdbi().getConfig(org.jdbi.v3.core.Handles.class).addListener(new org.jdbi.v3.core.HandleListener() {
            @Override
            public void handleClosed(org.jdbi.v3.core.Handle h) {
                if (closesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new IllegalStateException("Database is already closed (as H2's shutdown hook leaves it)");
                }
            }
        });
        try {
            List<dev.grace.runtime.RawEvent> batch = List.of(
                    new dev.grace.runtime.RawEvent("p", "ops", "latency", 1.0, H0.toEpochMilli(), java.util.Map.of()),
                    new dev.grace.runtime.RawEvent("p", "ops", "latency", 2.0, H0.toEpochMilli(), java.util.Map.of()));
            writer.accept(batch); // reads the node's last sequence first
            closesToFail.set(1);
            writer.accept(batch);
            writer.accept(batch);

            long stored = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metric_events")
                    .mapTo(Long.class).one());
            assertThat(stored).isEqualTo(6);
            assertThat(writer.committedBeforeFailure()).isEqualTo(1);
            assertThat(writer.failedWrites()).isEqualTo(1);
        } finally {
            db.close();
        }
    }

    @Test
    void flushingTwiceWithNothingNewWritesNothingAndAgainWithMoreWritesTheWholeHour() throws Exception {
        GraceConfig.Store settings = GraceConfig.Store.defaults().withUrl("jdbc:h2:file:" + dir.resolve("db"));
        Clock clock = Clock.fixed(H0.plus(Duration.ofMinutes(5)), ZoneOffset.UTC);
        RollupRegistry registry = new RollupRegistry(clock, Duration.ofHours(2), 48);
        KpiAccumulator acc = registry.register("p", "ops", KPI);
        Database db = Database.connect(GraceConfig.defaults().withDataDir(dir).withStore(settings));
        db.migrate();
        StoreWriter writer = new StoreWriter(db, "n1", settings, registry, clock);
        try {
            acc.addNow(1);
            writer.flush();
            writer.flush();
            assertThat(writer.flushes()).isEqualTo(1);
            acc.addNow(2);
            writer.flush();
            assertThat(writer.flushes()).isEqualTo(2);
            try (Connection c = DriverManager.getConnection(settings.url()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT period, count, sum FROM metrics_rollups ORDER BY period")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getDouble(3));
                }
                assertThat(rows).containsExactly("day 2 3.0", "hour 2 3.0", "week 2 3.0");
            }
        } finally {
            db.close();
        }
    }

    @Test
    void failedWritesWaitAJitteredBackoffFrom100msDoublingTo30s() {
        Set<Long> firstWaits = new HashSet<>();
        for (int draw = 0; draw < 100; draw++) {
            long first = StoreWriter.backoffNanos(1);
            assertThat(first).isBetween(Duration.ofMillis(50).toNanos(), Duration.ofMillis(100).toNanos());
            firstWaits.add(first);
            assertThat(StoreWriter.backoffNanos(4))
                    .isBetween(Duration.ofMillis(400).toNanos(), Duration.ofMillis(800).toNanos());
            assertThat(StoreWriter.backoffNanos(1_000))
                    .isBetween(Duration.ofSeconds(15).toNanos(), Duration.ofSeconds(30).toNanos());
        }
        assertThat(firstWaits).as("runtimes sharing a database do not retry in step").hasSizeGreaterThan(1);
    }
}
