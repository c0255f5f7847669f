package dev.grace.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPostgres;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a runtime in a child JVM under load, then a start on the same data directory: the
 * crashed hour's rollups are rebuilt from the raw events the crashed run stored (count, sums, min,
 * max and the sketch, so percentiles are what the live path computes), and {@code grace verify}
 * agrees; with raw events off, verify names the hour and says why it could not be rebuilt. On the
 * default H2 file always, on PostgreSQL when {@code -Dgrace.test.postgres.url} is given.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashRebuildTest {

    /** Within the hour the test's clock stands in, whatever the system time: nothing crosses an hour. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(30));
    static final long HOUR = NOW.truncatedTo(ChronoUnit.HOURS).toEpochMilli();

    @TempDir
    Path dir;

    static GraceConfig config(Path dataDir, String url, boolean rawEvents, Duration flush) {
        return GraceConfig.defaults().withDataDir(dataDir).withPluginsDirs(List.of()).withNodeId("victim")
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), rawEvents, 1 << 16))
                .withStore(GraceConfig.Store.defaults().withUrl(url).withFlushInterval(flush));
    }

    /** The n-th value the child publishes: spread over the KPI's range, so the sketch has work. */
    static double value(long n) {
        return 1 + (n * 7919) % 1000;
    }

    @Test
    void onH2AKilledHourIsRebuiltFromItsRawEventsAndVerifyAgrees() throws Exception {
        killedHourIsRebuilt(null);
    }

    @Test
    void onPostgresAKilledHourIsRebuiltFromItsRawEventsAndVerifyAgrees() throws Exception {
        killedHourIsRebuilt(TestPostgres.freshSchema("grace_crash"));
    }

    @Test
    void onH2WithRawEventsOffVerifyNamesTheHourThatCouldNotBeRebuiltAndWhy() throws Exception {
        rawEventsOffIsNamed(null);
    }

    @Test
    void onPostgresWithRawEventsOffVerifyNamesTheHourThatCouldNotBeRebuiltAndWhy() throws Exception {
        rawEventsOffIsNamed(TestPostgres.freshSchema("grace_crash"));
    }

    private void killedHourIsRebuilt(String url) throws Exception {
        long published = crashChild(url, true);
        long stored;
        long raw;
        try (GraceStore store = GraceStore.open(config(dir, url, true, Duration.ofSeconds(1)), new TestClock(NOW))) {
            stored = hourCount(store);
            raw = rawRows(store);
            assertThat(stored).as("the crashed run flushed once").isEqualTo(CrashChild.FLUSHED);
            assertThat(raw).as("raw events beyond the last flush").isGreaterThanOrEqualTo(CrashChild.FLUSHED + CrashChild.UNFLUSHED);
            assertThat(store.verify().ok()).as("before the restart, the crash shows").isFalse();
        }
        System.out.printf("kill -9 with raw events on (%s): at least %d values accepted, %d in the stored rollups,"
                + " %d raw events stored; lost at least %d%n", url == null ? "H2" : "PostgreSQL", published, stored, raw,
                published - raw);

        TestClock clock = new TestClock(NOW.plus(Duration.ofMinutes(1)));
        Probe probe = new Probe("victim", "ops");
        ch.qos.logback.classic.Logger writerLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                dev.grace.store.internal.StoreWriter.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        writerLog.addAppender(log);
        long startNanos = System.nanoTime();
        try (GraceRuntime runtime = GraceRuntime.builder().config(config(dir, url, true, Duration.ofMillis(50)))
                .clock(clock).discoverClasspath(false).plugin(probe).build().start()) {
            long startMillis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
            String took = log.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("store: the rebuild after the unclean stop took ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line on how long the rebuild took"));
            System.out.printf("crash rebuild at start (%s): %d raw events of 1 hour, %s; the whole start %d ms%n",
                    url == null ? "H2" : "PostgreSQL", raw, took.substring("store: the rebuild after the unclean stop ".length()),
                    startMillis);
            for (int i = 0; i < 500; i++) {
                probe.publisher().record(Probe.LATENCY, value(1_000_000 + i));
            }
        } finally {
            writerLog.detachAppender(log);
        }
        try (GraceStore store = GraceStore.open(config(dir, url, true, Duration.ofSeconds(1)), clock)) {
            assertThat(rawRows(store)).isEqualTo(raw + 500);
            assertThat(hourCount(store)).as("rollups of the crashed hour = raw event rows").isEqualTo(raw + 500);
            VerifyReport report = store.verify();
            assertThat(report.differences()).isEmpty();
            assertThat(report.ok()).isTrue();
            // percentiles as the live path computes them: the runtime's sketch fed the same values in order
            DDSketch expected = Sketches.newSketch();
            for (long n = 0; n < raw; n++) {
                expected.accept(value(n));
            }
            for (int i = 0; i < 500; i++) {
                expected.accept(value(1_000_000 + i));
            }
            PeriodRollup hour = hourRow(store, Period.HOUR);
            assertThat(hour.p50()).isEqualTo(expected.getValueAtQuantile(0.5));
            assertThat(hour.p95()).isEqualTo(expected.getValueAtQuantile(0.95));
            assertThat(hour.p99()).isEqualTo(expected.getValueAtQuantile(0.99));
            assertThat(hourRow(store, Period.DAY).count()).as("the day follows its hour").isEqualTo(raw + 500);
            List<String> audit = auditDetails(store, "rollup-rebuilt");
            assertThat(audit).singleElement().asString().contains("node victim hour " + Instant.ofEpochMilli(HOUR))
                    .contains("ops/latency " + CrashChild.FLUSHED + " → " + raw);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("a clean close leaves no run marker")
                    .noneMatch(n -> n.startsWith("store-run-"));
        }
    }

    private void rawEventsOffIsNamed(String url) throws Exception {
        long published = crashChild(url, false);
        TestClock clock = new TestClock(NOW.plus(Duration.ofMinutes(1)));
        try (GraceRuntime runtime = GraceRuntime.builder().config(config(dir, url, false, Duration.ofMillis(50)))
                .clock(clock).discoverClasspath(false).plugin(new Probe("victim", "ops")).build().start()) {
            assertThat(runtime.stats().accepted("victim")).isZero();
        }
        try (GraceStore store = GraceStore.open(config(dir, url, false, Duration.ofSeconds(1)), clock)) {
            assertThat(hourCount(store)).as("never lowered").isEqualTo(CrashChild.FLUSHED);
            System.out.printf("kill -9 with raw events off (%s): at least %d values accepted, %d in the stored rollups;"
                    + " lost at least %d%n", url == null ? "H2" : "PostgreSQL", published, CrashChild.FLUSHED,
                    published - CrashChild.FLUSHED);
            VerifyReport report = store.verify();
            assertThat(report.ok()).isFalse();
            assertThat(report.differences()).singleElement().asString()
                    .startsWith("node victim ops/latency hour " + Instant.ofEpochMilli(HOUR) + ": stored count="
                            + CrashChild.FLUSHED + " but no raw events")
                    .contains("not rebuilt after an unclean stop: raw events were off (publisher.rawEvents: false)")
                    .contains("stored " + CrashChild.FLUSHED + ", raw events 0")
                    .doesNotContain("\n");
        }
    }

    /**
     * Runs the child to "ready", lets it publish under load, and kills it with SIGKILL; returns the
     * last count of published values it printed (it may have published more).
     */
    private long crashChild(String url, boolean rawEvents) throws Exception {
        Process child = ChildJvm.builder(CrashChild.class, dir.toString(), url == null ? "-" : url,
                String.valueOf(rawEvents), String.valueOf(NOW.toEpochMilli()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = ChildJvm.reader(child)) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                assertThat(line).as("the child's progress").doesNotStartWith("failed:");
            }
            assertThat(line).isEqualTo("ready");
            long target = CrashChild.FLUSHED + CrashChild.UNFLUSHED + 20_000;
            long published = 0;
            while (published < target && (line = out.readLine()) != null) {
                if (line.startsWith("published ")) {
                    published = Long.parseLong(line.substring(10));
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return published;
        }
    }

    private static long hourCount(GraceStore store) {
        return store.rollups("ops", "latency", Period.HOUR, Instant.ofEpochMilli(HOUR)).stream()
                .mapToLong(PeriodRollup::count).sum();
    }

    private static PeriodRollup hourRow(GraceStore store, Period period) {
        return store.rollups("ops", "latency", period, Instant.ofEpochMilli(HOUR)).get(0);
    }

    /**
     * Raw event rows of the crashed hour. Right after a kill -9, H2 may still be rolling back the
     * killed process's open batch when the file opens, and a read meets its lock: read again then.
     */
    private static long rawRows(GraceStore store) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return rawRowsOnce(store);
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
                if (!(e.getCause() instanceof java.sql.SQLTimeoutException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    private static long rawRowsOnce(GraceStore store) {
        return store.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM metric_events WHERE node = 'victim' AND event_time >= :from AND event_time < :to")
                .bind("from", HOUR).bind("to", HOUR + 3_600_000L).mapTo(Long.class).one());
    }

    private static List<String> auditDetails(GraceStore store, String kind) {
        return store.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT detail FROM audit_log WHERE kind = :kind ORDER BY seq").bind("kind", kind).mapTo(String.class).list());
    }
}
