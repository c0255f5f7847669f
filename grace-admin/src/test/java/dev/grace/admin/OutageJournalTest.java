package dev.grace.admin;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import dev.grace.store.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole runtime (store, cognition, admin server) on a private PostgreSQL cluster stopped with
 * {@code pg_ctl -m immediate} in the middle of a load, for longer than the raw-event queue lasts, and
 * started again: every accepted value is stored as a raw event row and in the rollups, nothing is
 * dropped, the journal is written within 2 s of the database answering, and meanwhile {@code /metrics}
 * answers 200 with {@code grace_store_up 0} and {@code /health/live} 200 at every scrape.
 */
class OutageJournalTest {

    @TempDir
    Path dir;

    private record Scrape(long atNanos, int metrics, double storeUp, double journalBytes, int live) {
    }

    @Test
    void postgresStoppedMidLoadLosesNothingAndMonitoringNeverGoesBlind() throws Exception {
        try (PostgresCluster db = PostgresCluster.startOrSkip()) {
            TestPlugins.Good plugin = new TestPlugins.Good();
            GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of())
                    .withHttp(new HttpConfig(true, "127.0.0.1:0", null))
                    .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, 4096))
                    .withStore(GraceConfig.Store.defaults().withUrl(db.url()).withFlushInterval(Duration.ofMillis(50)));
            ConcurrentLinkedQueue<Scrape> scrapes = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong accepted = new AtomicLong();
            long stoppedAt;
            long startedAt;
            Duration recovery;
            long acceptedTotal;
            long dropped;
            try (GraceRuntime runtime = GraceRuntime.builder().config(config)
                    .clock(new TestClock(Instant.parse("2026-11-22T10:15:00Z"))).discoverClasspath(false)
                    .plugin(plugin).supervise(false).build().start()) {
                AdminClient client = new AdminClient(runtime.adminEndpoint().orElseThrow());
                Thread load = new Thread(() -> {
                    while (running.get()) {
                        for (int k = 0; k < 5; k++) {
                            if (plugin.publisher().record(TestPlugins.SUCCESS, 0.5)) {
                                accepted.incrementAndGet();
                            }
                        }
                        LockSupport.parkNanos(1_000_000);
                    }
                }, "load");
                Thread scraper = new Thread(() -> {
                    while (running.get()) {
                        AdminClient.Reply m = client.get("/metrics");
                        double up = Double.NaN;
                        double journal = Double.NaN;
                        if (m.status() == 200) {
                            var families = AdminHttpTest.parse(m.body());
                            up = AdminHttpTest.value(families, "grace_store_up", Map.of());
                            journal = AdminHttpTest.value(families, "grace_store_journal_bytes", Map.of());
                        }
                        int live = client.get("/health/live").status();
                        scrapes.add(new Scrape(System.nanoTime(), m.status(), up, journal, live));
                        LockSupport.parkNanos(50_000_000);
                    }
                }, "scraper");
                load.start();
                scraper.start();
                try {
                    awaitMore(accepted, 2_000);
                    db.stopImmediately();
                    stoppedAt = System.nanoTime();
                    awaitMore(accepted, 12_000); // 3x the raw-event queue (4096: a loaded machine may stall the
                                                 // raw-event thread a moment before its first write fails)
                    await(() -> scrapes.stream().anyMatch(s -> s.atNanos() > stoppedAt && s.storeUp() == 0
                            && s.journalBytes() > 0), "a scrape showing the store down and the journal holding");
                    db.start();
                    startedAt = System.nanoTime();
                    await(() -> journalFiles() == 0, "the journal written and deleted");
                    recovery = Duration.ofNanos(System.nanoTime() - startedAt);
                    awaitMore(accepted, 2_000);
                } finally {
                    running.set(false);
                    load.join();
                    scraper.join();
                }
                assertThat(runtime.awaitRawEvents(Duration.ofSeconds(30))).isTrue();
                acceptedTotal = runtime.stats().accepted("good");
                dropped = runtime.stats().rawDropped("good");
                assertThat(acceptedTotal).isEqualTo(accepted.get());
            }
            System.out.printf("PostgreSQL outage under the whole runtime: %d accepted, journal written %d ms after"
                    + " the database answered, %d scrapes%n", acceptedTotal, recovery.toMillis(), scrapes.size());
            assertThat(scrapes).allSatisfy(s -> {
                assertThat(s.metrics()).as("/metrics").isEqualTo(200);
                assertThat(s.live()).as("/health/live").isEqualTo(200);
            });
            long firstDown = scrapes.stream().filter(s -> s.atNanos() > stoppedAt && s.storeUp() == 0)
                    .mapToLong(Scrape::atNanos).min().orElseThrow();
            assertThat(scrapes).filteredOn(s -> s.atNanos() >= firstDown && s.atNanos() < startedAt)
                    .as("grace_store_up from the first scrape that saw the outage to the restart")
                    .isNotEmpty().allSatisfy(s -> assertThat(s.storeUp()).isEqualTo(0.0));
            assertThat(dropped).as("raw events dropped").isZero();
            assertThat(recovery).as("recovery after the database answered").isLessThan(Duration.ofSeconds(2));
            try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
                assertThat(count(s, "SELECT COUNT(*) FROM metric_events")).as("raw event rows").isEqualTo(acceptedTotal);
                assertThat(count(s, "SELECT COALESCE(SUM(count), 0) FROM metrics_rollups WHERE period = 'hour'"))
                        .as("hourly rollups").isEqualTo(acceptedTotal);
            }
        }
    }

    private long journalFiles() {
        Path journal = dir.resolve("data/journal");
        if (!Files.isDirectory(journal)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void awaitMore(AtomicLong accepted, long n) {
        long target = accepted.get() + n;
        await(() -> accepted.get() >= target, n + " more values accepted");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    private static long count(Statement s, String sql) throws java.sql.SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
