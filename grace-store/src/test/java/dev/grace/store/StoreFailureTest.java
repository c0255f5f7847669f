package dev.grace.store;

import dev.grace.runtime.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.config.GraceConfig;
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
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input at start, and a database that goes away in the middle of a load. */
class StoreFailureTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:15:00Z");

    @TempDir
    Path dir;

    /** Without the journal: these tests pin what the writers do when nothing takes what the database does not (StoreJournalTest has it on). */
    private GraceConfig config(Path dataDir, String url) {
        return GraceConfig.defaults().withDataDir(dataDir).withPluginsDirs(List.of()).withNodeId("n1")
                .withStore(GraceConfig.Store.defaults().withUrl(url).withFlushInterval(Duration.ofMillis(50))
                        .withJournal(new GraceConfig.Store.Journal(false, 0)));
    }

    private StoreException startFails(GraceConfig config) {
        GraceRuntime runtime = GraceRuntime.builder().config(config).clock(new TestClock(NOW))
                .discoverClasspath(false).plugin(new Probe("p", "ops")).build();
        try {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(runtime::start);
            assertThat(thrown).isInstanceOf(StoreException.class);
            assertThat(thrown.getMessage()).doesNotContain("\n");
            return (StoreException) thrown;
        } finally {
            runtime.close();
        }
    }

    @Test
    void aMalformedJdbcUrlIsOneLineNamingTheKey() {
        assertThat(startFails(config(dir, "jdbc:mysql://db/grace")).getMessage())
                .isEqualTo("store.url must be jdbc:postgresql://HOST[:PORT]/DATABASE or a jdbc:h2: URL, got \"jdbc:mysql://db/grace\"");
        assertThat(startFails(config(dir, "jdbc:postgresql://db:notaport/grace")).getMessage())
                .startsWith("store.url must be");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void anUnreachableDatabaseAtStartIsOneLineNamingIt() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String message = startFails(config(dir, "jdbc:postgresql://127.0.0.1:" + port + "/grace?password=secret")).getMessage();
        assertThat(message).startsWith("cannot connect to the store database jdbc:postgresql://127.0.0.1:" + port + "/grace: ")
                .doesNotContain("secret");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsOneLineNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThat(startFails(config(file.resolve("data"), null)).getMessage())
                .startsWith("dataDir " + file.resolve("data") + " is not writable");
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void theDatabaseStoppedInTheMiddleOfALoadLosesNoAcceptedValueAndCountsEveryDroppedRawEvent() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-tcpPort", String.valueOf(port), "-tcpAllowOthers", "-ifNotExists", "-baseDir", dir.resolve("server").toString()};
        Server server = Server.createTcpServer(args).start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/grace";
        GraceConfig config = config(dir.resolve("data"), url)
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, 1024));
        Probe probe = new Probe("steady", "ops");
        PublishStats stats;
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(new TestClock(NOW))
                .discoverClasspath(false).plugin(probe).build().start()) {
            publish(probe, 5_000);
            assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
            server.stop();
            publish(probe, 20_000);
            Thread.sleep(300); // the writer fails and backs off meanwhile; plugins never wait
            server = Server.createTcpServer(args).start();
            publish(probe, 5_000);
            stats = runtime.stats();
        } finally {
            server.stop();
        }
        server = Server.createTcpServer(args).start();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(stats.accepted("steady")).isEqualTo(30_000);
            assertThat(count(s, "SELECT count FROM metrics_rollups WHERE period = 'hour'")).isEqualTo(30_000);
            long raw = count(s, "SELECT COUNT(*) FROM metric_events");
            assertThat(raw + stats.rawDropped("steady")).isEqualTo(30_000);
            assertThat(stats.rawDropped("steady")).isPositive();
        } finally {
            server.stop();
        }
    }

    @Test
    void aWriterRetryingAnOutageSaysSinceWhenAndClearsWhenTheDatabaseIsBack() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-tcpPort", String.valueOf(port), "-tcpAllowOthers", "-ifNotExists", "-baseDir", dir.resolve("server").toString()};
        Server server = Server.createTcpServer(args).start();
        TestClock clock = new TestClock(NOW);
        GraceConfig config = config(dir.resolve("data"), "jdbc:h2:tcp://127.0.0.1:" + port + "/grace");
        dev.grace.store.internal.StoreWriter writer = dev.grace.store.internal.StoreWriter.open(config,
                new dev.grace.runtime.internal.rollup.RollupRegistry(clock, Duration.ofHours(2), 4), clock);
        try {
            List<dev.grace.runtime.RawEvent> batch = List.of(
                    new dev.grace.runtime.RawEvent("p", "ops", "latency", 1, NOW.toEpochMilli(), java.util.Map.of()));
            writer.accept(batch);
            assertThat(writer.stuckSince()).isEmpty();
            server.stop();
            Thread retrying = new Thread(() -> {
                try {
                    writer.accept(batch);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            retrying.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (writer.stuckSince().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writer.stuckSince()).contains(NOW);
            clock.advance(Duration.ofMinutes(5));
            assertThat(writer.stuckSince()).contains(NOW); // since the first failure, not the latest
            server = Server.createTcpServer(args).start();
            retrying.join(Duration.ofSeconds(40).toMillis());
            assertThat(retrying.isAlive()).isFalse();
            // the raw-event write is through; the rollup writer's own retry clears at its next flush
            long cleared = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (writer.stuckSince().isPresent() && System.nanoTime() < cleared) {
                Thread.sleep(10);
            }
            assertThat(writer.stuckSince()).isEmpty();
            assertThat(writer.failedWrites()).isPositive();
            assertThat(writer.rawEventsRefused()).isZero(); // an outage is not a refusal
        } finally {
            writer.close();
            server.stop();
        }
    }

    @Test
    void afterALongOutageTheWritersAreWrittenAgainWithinTwoSecondsOfTheDatabaseAnswering() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-tcpPort", String.valueOf(port), "-tcpAllowOthers", "-ifNotExists", "-baseDir", dir.resolve("server").toString()};
        Server server = Server.createTcpServer(args).start();
        TestClock clock = new TestClock(NOW);
        GraceConfig config = config(dir.resolve("data"), "jdbc:h2:tcp://127.0.0.1:" + port + "/grace");
        dev.grace.runtime.internal.rollup.RollupRegistry registry =
                new dev.grace.runtime.internal.rollup.RollupRegistry(clock, Duration.ofHours(2), 4);
        dev.grace.store.internal.StoreWriter writer = dev.grace.store.internal.StoreWriter.open(config, registry, clock);
        try {
            List<dev.grace.runtime.RawEvent> batch = List.of(
                    new dev.grace.runtime.RawEvent("p", "ops", "latency", 1, NOW.toEpochMilli(), java.util.Map.of()));
            writer.accept(batch);
            server.stop();
            Thread retrying = new Thread(() -> {
                try {
                    writer.accept(batch);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            retrying.start();
            // long enough for the backoff (doubling from 100 ms) to pass 6 s: without a wake-up, the retry would come late
            long down = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < down) {
                assertThat(retrying.isAlive()).isTrue();
                Thread.sleep(100);
            }
            assertThat(writer.stuckSince()).isPresent();
            server = Server.createTcpServer(args).start();
            long back = System.nanoTime();
            retrying.join(Duration.ofSeconds(30).toMillis());
            long rawRecovered = System.nanoTime() - back;
            while (writer.stuckSince().isPresent() && System.nanoTime() - back < Duration.ofSeconds(30).toNanos()) {
                Thread.sleep(10);
            }
            long allRecovered = System.nanoTime() - back;
            System.out.printf("recovery after the database answered again: raw events %d ms, rollups %d ms%n",
                    rawRecovered / 1_000_000, allRecovered / 1_000_000);
            assertThat(Duration.ofNanos(rawRecovered)).as("raw events written again").isLessThan(Duration.ofSeconds(2));
            assertThat(Duration.ofNanos(allRecovered)).as("rollups written again").isLessThan(Duration.ofSeconds(2));
        } finally {
            writer.close();
            server.stop();
        }
    }

    private static void publish(Probe probe, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(probe.publisher().record(Probe.LATENCY, 1 + i % 100)).isTrue();
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
