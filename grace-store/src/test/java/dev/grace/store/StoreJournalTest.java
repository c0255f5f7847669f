package dev.grace.store;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.config.GraceConfig;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal with a real runtime and a real database that goes away: an H2 server over TCP and a
 * private PostgreSQL cluster stopped with {@code pg_ctl -m immediate}. What is accepted during an
 * outage longer than the raw-event queue lasts, and what a stop during an outage holds, is stored once
 * the database answers again (at the next start for a stop), exactly once, nothing dropped.
 */
class StoreJournalTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:15:00Z");
    /** The documented bound on closing (docs/operations.md). */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(10);
    /**
     * The raw-event queue: small, so that the outages below outlast it (at 5 values/ms it fills in
     * 0.8 s), yet large enough that a raw-event thread stalled a moment by a loaded machine does not
     * overflow it before the first failed write hands over to the journal. The ring is one lane per
     * stripe and one publishing thread fills one lane, a quarter of this: 4,096 slots.
     */
    static final int QUEUE = 16384;
    /** Recovery: the journal written and deleted this soon after the database answers. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(2);
    static final Duration DRAIN_BOUND_H2_SERVER = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    /** A database the test can take away and bring back. */
    interface Outage extends AutoCloseable {
        String url();

        void stop() throws Exception;

        void start() throws Exception;
    }

    static final class H2Server implements Outage {
        private final String[] args;
        private final int port;
        private Server server;

        H2Server(Path baseDir) throws Exception {
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            args = new String[] {"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", baseDir.toString()};
            start();
        }

        @Override
        public String url() {
            return "jdbc:h2:tcp://127.0.0.1:" + port + "/grace";
        }

        @Override
        public void stop() {
            server.stop();
        }

        @Override
        public void start() throws SQLException {
            server = Server.createTcpServer(args).start();
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    static final class Postgres implements Outage {
        private final PostgresCluster cluster;

        Postgres() throws Exception {
            cluster = PostgresCluster.startOrSkip();
        }

        @Override
        public String url() {
            return cluster.url();
        }

        @Override
        public void stop() throws Exception {
            cluster.stopImmediately();
        }

        @Override
        public void start() throws Exception {
            cluster.start();
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }

    private GraceConfig config(String url) {
        return GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of()).withNodeId("n1")
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, QUEUE))
                .withStore(GraceConfig.Store.defaults().withUrl(url).withFlushInterval(Duration.ofMillis(50)));
    }

    private GraceRuntime runtime(GraceConfig config, Probe probe) {
        return GraceRuntime.builder().config(config).clock(new TestClock(NOW)).discoverClasspath(false)
                .plugin(probe).build().start();
    }

    /** Publishes at a steady rate from its own thread until stopped; counts what was accepted. */
    static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong accepted = new AtomicLong();
        private final Thread thread;

        /** About {@code perMilli} values each millisecond. */
        Load(Probe probe, int perMilli) {
            thread = new Thread(() -> {
                long i = 0;
                while (running.get()) {
                    for (int k = 0; k < perMilli; k++) {
                        if (probe.publisher().record(Probe.LATENCY, 1 + i++ % 100)) {
                            accepted.incrementAndGet();
                        }
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            }, "load");
            thread.start();
        }

        long accepted() {
            return accepted.get();
        }

        /** Waits until at least {@code n} more values were accepted. */
        void awaitMore(long n) {
            long target = accepted() + n;
            await(() -> accepted() >= target, Duration.ofSeconds(60), "load: " + n + " more values");
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void h2ServerStoppedMidLoadLongerThanTheRawEventQueueLastsLosesNothingAndRecoversWithinTwoSeconds() throws Exception {
        try (H2Server db = new H2Server(dir.resolve("server"))) {
            outageMidLoad(db);
        }
    }

    @Test
    void postgresStoppedImmediatelyMidLoadLongerThanTheRawEventQueueLastsLosesNothingAndRecoversWithinTwoSeconds()
            throws Exception {
        try (Postgres db = new Postgres()) {
            outageMidLoad(db);
        }
    }

    @Test
    void h2ServerAStopDuringAnOutageJournalsWhatItHoldsWithinTheBoundAndTheNextStartWritesIt() throws Exception {
        try (H2Server db = new H2Server(dir.resolve("server"))) {
            stopDuringOutage(db);
        }
    }

    @Test
    void postgresAStopDuringAnOutageJournalsWhatItHoldsWithinTheBoundAndTheNextStartWritesIt() throws Exception {
        try (Postgres db = new Postgres()) {
            stopDuringOutage(db);
        }
    }

    @Test
    void h2ServerAStopDuringAnOutageJournalsSeriesHoursAndTheNextStartWritesThemOnce() throws Exception {
        try (H2Server db = new H2Server(dir.resolve("server"))) {
            seriesThroughTheJournal(db);
        }
    }

    @Test
    void postgresAStopDuringAnOutageJournalsSeriesHoursAndTheNextStartWritesThemOnce() throws Exception {
        try (Postgres db = new Postgres()) {
            seriesThroughTheJournal(db);
        }
    }

    /**
     * Two series and values without attributes stored, the database stopped, more values, a stop (the
     * hour's total and series states go to the journal); the database back, a start replays them: each
     * series row holds all its values once, the total all of them, the day rows the same.
     */
    private void seriesThroughTheJournal(Outage db) throws Exception {
        GraceConfig config = config(db.url());
        SeriesProbe probe = new SeriesProbe("steady", "fed");
        GraceRuntime runtime = GraceRuntime.builder().config(config).clock(new TestClock(NOW))
                .discoverClasspath(false).plugin(probe).build().start();
        try {
            dev.grace.api.Kpi.Series a = probe.series("a", "eu");
            dev.grace.api.Kpi.Series b = probe.series("b", "us");
            for (int i = 0; i < 100; i++) {
                a.record(1);
                b.record(2);
                probe.publisher().record(SeriesProbe.LATENCY, 3);
            }
            assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
            assertThat(runtime.flushStore(Duration.ofSeconds(10))).isTrue();
            db.stop();
            for (int i = 0; i < 200; i++) {
                a.record(1);
            }
            for (int i = 0; i < 30; i++) {
                b.record(2);
            }
        } finally {
            runtime.close();
        }
        assertThat(runtime.stats().rawDropped("steady")).isZero();
        assertThat(journalFiles()).as("the journal holds what the stop could not write").isPositive();
        db.start();
        try (GraceRuntime again = GraceRuntime.builder().config(config).clock(new TestClock(NOW))
                .discoverClasspath(false).plugin(new SeriesProbe("steady", "fed")).build().start()) {
            assertThat(journalFiles()).as("replayed at start").isZero();
        }
        try (GraceStore store = GraceStore.open(config, new TestClock(NOW))) {
            Instant hour = NOW.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            for (dev.grace.runtime.store.Period period : dev.grace.runtime.store.Period.values()) {
                assertThat(store.rollupsBy("fed", "latency", "connector", period, hour))
                        .extracting(r -> r.series() + " " + r.count() + " " + r.sum()).as("%s", period)
                        .containsExactly("connector=a 300 300.0", "connector=b 130 260.0");
                assertThat(store.rollups("fed", "latency", period, hour))
                        .extracting(dev.grace.runtime.store.PeriodRollup::count).containsExactly(530L);
            }
        }
    }

    @Test
    void pastTheJournalsBoundTheExcessIsDroppedAndCountedExactly() throws Exception {
        try (H2Server db = new H2Server(dir.resolve("server"))) {
            GraceConfig config = config(db.url()).withStore(config(db.url()).store()
                    .withJournal(new GraceConfig.Store.Journal(true, 64 << 10)));
            Figures f = outageThenStop(db, config, 30_000);
            System.out.printf("journal bound 64 KiB: %d accepted, %d raw events dropped, %d rollup values lost,"
                    + " closed in %d ms%n", f.accepted(), f.rawDropped(), f.rollupsLost(), f.closing().toMillis());
            assertThat(f.rawDropped()).as("30,000 raw events do not fit in 64 KiB").isPositive();
            assertThat(f.rows() + f.rawDropped()).as("raw event rows + dropped").isEqualTo(f.accepted());
            // the stop left this node's run marker, so the next start rebuilt the hour from its raw events
            // where they hold more than the rollups kept (CrashRebuildTest); never more than was accepted
            assertThat(f.rollups()).as("rollups: written or journaled, or the raw events where they hold more")
                    .isEqualTo(Math.max(f.accepted() - f.rollupsLost(), f.rows()));
            assertThat(f.rollups()).isLessThanOrEqualTo(f.accepted());
            assertThat(f.closing()).isLessThan(CLOSE_BOUND);
        }
    }

    @Test
    void withTheJournalOffAnOutageDropsRawEventsAndAStopLosesItsHoursBothCountedExactly() throws Exception {
        try (H2Server db = new H2Server(dir.resolve("server"))) {
            GraceConfig config = config(db.url()).withStore(config(db.url()).store()
                    .withJournal(new GraceConfig.Store.Journal(false, 0)));
            Figures f = outageThenStop(db, config, 30_000);
            System.out.printf("journal off: %d accepted, %d raw events dropped, %d rollup values lost, closed in"
                    + " %d ms%n", f.accepted(), f.rawDropped(), f.rollupsLost(), f.closing().toMillis());
            assertThat(f.rawDropped()).isPositive();
            assertThat(f.rollupsLost()).as("the hour the stop could not write").isEqualTo(30_000);
            assertThat(f.rows() + f.rawDropped()).as("raw event rows + dropped").isEqualTo(f.accepted());
            assertThat(f.rollups() + f.rollupsLost()).as("rollups + lost").isEqualTo(f.accepted());
            assertThat(journalFiles()).isZero();
            // what the bound leaves unwritten is dropped and counted above, not waited for (16-19 s before)
            assertThat(f.closing()).as("closing while the database is down, journal off").isLessThan(CLOSE_BOUND);
        }
    }

    @Test
    void anHourFirstWrittenFromTheJournalAddsToTheRowAnEarlierRunLeftAndAJournalReplayedTwiceCountsOnce()
            throws Exception {
        try (H2Server db = new H2Server(dir.resolve("server"))) {
            // the default queue: the first write after a quiet spell waits out the pool's 1 s connection
            // timeout before it fails to the journal, and 3,000 values must not overflow 1,024 slots meanwhile
            GraceConfig config = config(db.url()).withPublisher(GraceConfig.Publisher.defaults());
            Probe first = new Probe("steady", "ops");
            try (GraceRuntime earlier = runtime(config, first)) {   // an earlier run of this node leaves a row
                publishPaced(first, 1_000);
                assertThat(earlier.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
            }
            Probe probe = new Probe("steady", "ops");
            GraceRuntime runtime = runtime(config, probe);
            db.stop();                                             // before this run writes the hour once
            publishPaced(probe, 3_000);
            runtime.close();
            assertThat(runtime.stats().rawDropped("steady")).isZero();
            Path saved = dir.resolve("journal-copy");
            copyJournal(dir.resolve("data/journal"), saved);
            db.start();
            try (GraceRuntime replaying = runtime(config, new Probe("steady", "ops"))) {
                assertThat(journalFiles()).isZero();
            }
            assertStored(db, 4_000);
            // a crash between the commit and the deletion leaves the files: replayed again, nothing twice
            copyJournal(saved, dir.resolve("data/journal"));
            assertThat(journalFiles()).isPositive();
            try (GraceRuntime again = runtime(config, new Probe("steady", "ops"))) {
                assertThat(journalFiles()).isZero();
            }
            assertStored(db, 4_000);
        }
    }

    private static void publishPaced(Probe probe, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(probe.publisher().record(Probe.LATENCY, 1 + i % 100)).isTrue();
            if (i % 100 == 0) {
                LockSupport.parkNanos(1_000_000); // within the raw-event queue
            }
        }
    }

    private static void copyJournal(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private record Figures(long accepted, long rawDropped, long rollupsLost, long rows, long rollups, Duration closing) {
    }

    /** 2,000 values stored, the database stopped, {@code during} more values, a stop; the database back, a start and a stop. */
    private Figures outageThenStop(Outage db, GraceConfig config, int during) throws Exception {
        Probe probe = new Probe("steady", "ops");
        StoreExtension store = new StoreExtension();
        GraceRuntime runtime = GraceRuntime.builder().config(config).clock(new TestClock(NOW))
                .discoverClasspath(false).plugin(probe).extension(store).build().start();
        for (int i = 0; i < 2_000; i++) {
            probe.publisher().record(Probe.LATENCY, 1 + i % 100);
            if (i % 100 == 0) {
                LockSupport.parkNanos(1_000_000); // within the raw-event queue
            }
        }
        assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
        assertThat(store.flushNow(Duration.ofSeconds(10))).isTrue();
        db.stop();
        for (int i = 0; i < during; i++) {
            probe.publisher().record(Probe.LATENCY, 1 + i % 100);
            if (i % 100 == 0) {
                LockSupport.parkNanos(200_000); // about 500 values a millisecond
            }
        }
        long t0 = System.nanoTime();
        runtime.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - t0);
        long accepted = runtime.stats().accepted("steady");
        long rawDropped = runtime.stats().rawDropped("steady");
        long lost = store.rollupValuesLost();
        db.start();
        try (GraceRuntime again = runtime(config, new Probe("steady", "ops"))) {
            assertThat(journalFiles()).as("replayed at start").isZero();
        }
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
            return new Figures(accepted, rawDropped, lost, count(s, "SELECT COUNT(*) FROM metric_events"),
                    count(s, "SELECT COALESCE(SUM(count), 0) FROM metrics_rollups WHERE period = 'hour'"), closing);
        }
    }

    private void outageMidLoad(Outage db) throws Exception {
        Probe probe = new Probe("steady", "ops");
        PublishStats stats;
        long accepted;
        Duration resumed;
        Duration drained;
        try (GraceRuntime runtime = runtime(config(db.url()), probe)) {
            try (Load load = new Load(probe, 5)) {
                load.awaitMore(2_000);
                db.stop();
                // the outage outlasts the raw-event queue three times over
                load.awaitMore(3 * QUEUE);
                await(() -> journalFiles() > 0, Duration.ofSeconds(20), "raw events journaled");
                db.start();
                long back = System.nanoTime();
                resumed = untilRowsGrow(db, back);
                await(() -> journalFiles() == 0, Duration.ofSeconds(30), "journal replayed and deleted");
                drained = Duration.ofNanos(System.nanoTime() - back);
                load.awaitMore(2_000);
            }
            assertThat(runtime.awaitRawEvents(Duration.ofSeconds(30))).isTrue();
            stats = runtime.stats();
            accepted = stats.accepted("steady");
        }
        System.out.printf("%s outage mid-load: %d accepted, writing again %d ms and the journal written and deleted"
                + " %d ms after the database answered%n", db.getClass().getSimpleName(), accepted, resumed.toMillis(),
                drained.toMillis());
        assertThat(stats.rawDropped("steady")).as("raw events dropped").isZero();
        assertStored(db, accepted);
        assertThat(resumed).as("the writers write again after the database answered").isLessThan(RECOVERY_BOUND);
        // The backlog (three raw-event queues and what arrives meanwhile) then drains at the database's
        // write rate: PostgreSQL's COPY takes it well within the bound; an H2 server writes 17,000-30,000
        // raw events a second here, so about 50,000 take up to 3 s on a loaded machine.
        assertThat(drained).as("the journal's backlog written after the database answered")
                .isLessThan(db instanceof H2Server ? DRAIN_BOUND_H2_SERVER : RECOVERY_BOUND);
    }

    private void stopDuringOutage(Outage db) throws Exception {
        Probe probe = new Probe("steady", "ops");
        long accepted;
        long dropped;
        Duration closing;
        GraceRuntime runtime = runtime(config(db.url()), probe);
        try (Load load = new Load(probe, 5)) {
            load.awaitMore(2_000);
            db.stop();
            load.awaitMore(5_000);
        }
        long t0 = System.nanoTime();
        runtime.close();
        closing = Duration.ofNanos(System.nanoTime() - t0);
        accepted = runtime.stats().accepted("steady");
        dropped = runtime.stats().rawDropped("steady");
        assertThat(journalFiles()).as("the journal holds what the stop could not write").isPositive();
        System.out.printf("%s stop during an outage: closed in %d ms, %d accepted%n", db.getClass().getSimpleName(),
                closing.toMillis(), accepted);
        assertThat(closing).as("closing while the database is down").isLessThan(CLOSE_BOUND);
        assertThat(dropped).as("raw events dropped").isZero();

        Path saved = dir.resolve("journal-copy");
        copyJournal(dir.resolve("data/journal"), saved);
        db.start();
        Probe next = new Probe("steady", "ops");
        try (GraceRuntime again = runtime(config(db.url()), next)) {
            assertThat(journalFiles()).as("replayed at start, before anything else").isZero();
            assertStored(db, accepted);
        }
        assertStored(db, accepted);
        // the stop's audit facts were journaled and appended to the chain at the next start, before its own
        List<String> kinds = auditKinds(db);
        assertThat(kinds).as("audit log").containsSubsequence("runtime-started", "runtime-closed", "runtime-started",
                "runtime-closed");
        assertThat(kinds.stream().filter("runtime-closed"::equals)).as("runtime-closed facts in %s", kinds).hasSize(2);
        // a crash between the replay's commit and the files' deletion: replayed again, appended once
        copyJournal(saved, dir.resolve("data/journal"));
        try (GraceRuntime third = runtime(config(db.url()), new Probe("steady", "ops"))) {
            assertThat(journalFiles()).isZero();
        }
        assertThat(auditKinds(db).stream().filter("runtime-closed"::equals)).as("runtime-closed facts")
                .hasSize(3);
        try (GraceStore store = GraceStore.open(config(db.url()))) {
            AuditVerdict verdict = store.verifyAudit();
            assertThat(verdict.firstBroken()).as("grace audit verify").isEmpty();
            assertThat(verdict.rowsChecked()).isEqualTo(auditKinds(db).size());
        }
    }

    private static List<String> auditKinds(Outage db) throws SQLException {
        List<String> kinds = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind FROM audit_log WHERE node = 'n1' ORDER BY seq")) {
            while (rs.next()) {
                kinds.add(rs.getString(1));
            }
        }
        return kinds;
    }

    private void assertStored(Outage db, long accepted) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM metric_events")).as("raw event rows").isEqualTo(accepted);
            assertThat(count(s, "SELECT COALESCE(SUM(count), 0) FROM metrics_rollups WHERE period = 'hour'"))
                    .as("hourly rollups").isEqualTo(accepted);
            assertThat(count(s, "SELECT COALESCE(SUM(count), 0) FROM metrics_rollups WHERE period = 'day'"))
                    .as("daily rollups").isEqualTo(accepted);
        }
    }

    private long journalFiles() {
        Path journal = dir.resolve("data/journal");
        if (!Files.isDirectory(journal)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.count();
        } catch (IOException e) {
            return 0; // a file deleted while listed: look again
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    /**
     * How long after {@code back} the stored raw events first grew: the writers write again. An upper
     * bound, since the first count read may already hold some of what they wrote.
     */
    private static Duration untilRowsGrow(Outage db, long back) {
        long first = -1;
        long deadline = back + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
                long n = count(s, "SELECT COUNT(*) FROM metric_events");
                if (first < 0) {
                    first = n;
                } else if (n > first) {
                    return Duration.ofNanos(System.nanoTime() - back);
                }
            } catch (SQLException notYet) {
                // the database is not answering this test's connection yet
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("no raw event stored within 30 s of the database answering");
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
