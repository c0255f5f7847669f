package dev.grace.plugins.transcendence;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.grace.plugins.transcendence.TaskReport.Outcome.SKIPPED;
import static dev.grace.plugins.transcendence.TaskReport.Outcome.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The default plan against a real runtime with its H2 store in a temp dir: a host plugin publishes,
 * raw events are on, and the test runs the plugin's scheduled maintenance itself at chosen times of
 * a {@link ManualClock}.
 */
class StoreMaintenanceTest {

    private static final Instant TEN = Instant.parse("2026-01-05T10:00:00Z");

    @TempDir
    Path dir;

    /** Publishes what the test tells it to. */
    static final class Host implements DomainPlugin {
        static final Kpi LOAD = Kpi.builder("load", Kpi.Unit.RATIO).build();
        volatile MetricPublisher publisher;

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("host").domain("host").version("1.0.0").apiRange("[0.1,1)").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(LOAD);
        }

        @Override
        public void start(PluginContext context) {
            publisher = context.publisher();
        }

        @Override
        public void stop() {
        }
    }

    /**
     * Schedulers whose periodic tasks never fire by themselves: the test runs them with {@link #runPeriodic()}.
     * One-off work ({@code execute}) runs on the real thread.
     */
    static final class HeldScheduler extends ScheduledThreadPoolExecutor {
        final List<Runnable> periodic = new ArrayList<>();

        HeldScheduler(java.util.concurrent.ThreadFactory threads) {
            super(1, threads);
            setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // stopping does not wait for the placeholders
        }

        @Override
        public synchronized ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                                     TimeUnit unit) {
            periodic.add(command);
            return super.schedule((Callable<Object>) () -> null, 365, TimeUnit.DAYS);
        }

        synchronized void runPeriodic() {
            periodic.forEach(Runnable::run);
        }
    }

    private final Map<String, HeldScheduler> schedulers = new java.util.concurrent.ConcurrentHashMap<>();

    private GraceRuntime runtime(ManualClock clock, Host host, TranscendencePlugin plugin, boolean storeOn,
                                 String backupInterval) {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withPublisher(new GraceConfig.Publisher(Duration.ofMinutes(5), true, 1 << 16))
                .withPlugins(Map.of("transcendence", Map.of("interval", "1h", "backupInterval", backupInterval)))
                .withStore(new GraceConfig.Store(storeOn, null, null, null, Duration.ofMillis(50), Duration.ofHours(1),
                        null, null, null, 0));
        return GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(host).plugin(plugin)
                .schedulers((id, threads) -> schedulers.computeIfAbsent(id, k -> new HeldScheduler(threads)))
                .build();
    }

    private void maintainAt(ManualClock clock, GraceRuntime rt, Instant at) {
        clock.set(at);
        rt.turnHour();
        schedulers.get("transcendence").runPeriodic();
    }

    private List<Path> zips() throws Exception {
        Path backups = dir.resolve("backups");
        if (!Files.isDirectory(backups)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(backups)) {
            return files.sorted().toList();
        }
    }

    @Test
    void theDefaultPlanPurgesVerifiesTheLastHourAndBacksUpTheStoreAtMostOncePerBackupInterval() throws Exception {
        ManualClock clock = ManualClock.at(TEN);
        Host host = new Host();
        TranscendencePlugin plugin = new TranscendencePlugin();
        try (GraceRuntime rt = runtime(clock, host, plugin, true, "90m")) {
            rt.start();
            assertThat(rt.plugins()).allSatisfy(p -> assertThat(p.state()).isEqualTo(PluginState.RUNNING));

            maintainAt(clock, rt, TEN);     // the first run, at start: verifies 09:00 (empty), takes the first backup
            assertThat(plugin.lastMaintenance().orElseThrow().tasks()).extracting(TaskReport::id, TaskReport::outcome)
                    .containsExactly(tuple("purge", SUCCEEDED), tuple("verify", SUCCEEDED), tuple("backup", SUCCEEDED));
            assertThat(zips()).extracting(p -> p.getFileName().toString()).containsExactly("grace-20260105-100000.zip");

            for (int minute : new int[] {5, 20, 40}) {
                clock.set(TEN.plus(Duration.ofMinutes(minute)));
                assertThat(host.publisher.publish("load", minute / 100.0)).isTrue();
            }

            maintainAt(clock, rt, TEN.plus(Duration.ofHours(1)));   // verifies 10:00; the backup is not due
            PlanReport second = plugin.lastMaintenance().orElseThrow();
            assertThat(second.tasks()).extracting(TaskReport::id, TaskReport::outcome)
                    .containsExactly(tuple("purge", SUCCEEDED), tuple("verify", SUCCEEDED), tuple("backup", SKIPPED));
            assertThat(second.task("backup").cause())
                    .isEqualTo("not due: one backup per backupInterval=PT1H30M, the last at 2026-01-05T10:00:00Z");
            assertThat(second.taskSuccess()).contains(1.0);
            assertThat(zips()).hasSize(1);

            maintainAt(clock, rt, TEN.plus(Duration.ofHours(2)));   // raw events of 10:xx are past the 1h retention
            assertThat(plugin.lastMaintenance().orElseThrow().succeeded()).isTrue();
            assertThat(zips()).extracting(p -> p.getFileName().toString())
                    .containsExactly("grace-20260105-100000.zip", "grace-20260105-120000.zip");
            assertThat(zips()).allSatisfy(z -> assertThat(Files.size(z)).isPositive());
        }

        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("store/grace").toAbsolutePath(),
                "", "")) {
            List<String> audit = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT kind, detail FROM audit_log WHERE kind LIKE 'maintenance-%' ORDER BY seq")) {
                while (rs.next()) {
                    audit.add(rs.getString(1) + ": " + rs.getString(2));
                }
            }
            assertThat(audit).allSatisfy(a -> assertThat(a).endsWith("(at the request of transcendence)"));
            assertThat(audit).filteredOn(a -> a.startsWith("maintenance-verify")).containsExactly(
                    "maintenance-verify: hour 2026-01-05T09:00:00Z: 0 KPIs matched their raw events, 0 differed"
                            + " (at the request of transcendence)",
                    "maintenance-verify: hour 2026-01-05T10:00:00Z: 4 KPIs matched their raw events, 0 differed"
                            + " (at the request of transcendence)",
                    "maintenance-verify: hour 2026-01-05T11:00:00Z: 4 KPIs matched their raw events, 0 differed"
                            + " (at the request of transcendence)");
            assertThat(audit).filteredOn(a -> a.startsWith("maintenance-backup")).hasSize(2)
                    .allSatisfy(a -> assertThat(a).contains("backup written to ").contains(".zip"));
            assertThat(audit).filteredOn(a -> a.startsWith("maintenance-purge")).hasSize(3);
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM metric_events WHERE event_time < " + TEN.plus(Duration.ofHours(1)).toEpochMilli())) {
                rs.next();
                assertThat(rs.getLong(1)).as("raw events past the 1h retention are purged").isZero();
            }
        }
    }

    @Test
    void aVerifyThatFindsADifferenceFailsTheTaskAfterItsRetriesAndHoldsBackTheBackup() throws Exception {
        ManualClock clock = ManualClock.at(TEN);
        Host host = new Host();
        TranscendencePlugin plugin = new TranscendencePlugin();
        try (GraceRuntime rt = runtime(clock, host, plugin, true, "0s")) {
            rt.start();
            clock.set(TEN.plus(Duration.ofMinutes(5)));
            host.publisher.publish("load", 0.5);
            clock.set(TEN.plus(Duration.ofHours(1)));
            rt.turnHour();
            assertThat(rt.flushStore(Duration.ofSeconds(10))).isTrue();
            // the name the runtime's store opens the file by, so that this connection joins its database
            try (Connection c = DriverManager.getConnection("jdbc:h2:async:" + dir.resolve("store/grace").toAbsolutePath()
                    .normalize(), "", "")) {
                assertThat(c.createStatement().executeUpdate("UPDATE metrics_rollups SET count = count + 1"
                        + " WHERE period = 'hour' AND kpi = 'load'")).isEqualTo(1);
            }

            schedulers.get("transcendence").runPeriodic();
            PlanReport report = plugin.lastMaintenance().orElseThrow();
            assertThat(report.tasks()).extracting(TaskReport::id, TaskReport::outcome, TaskReport::attempts).containsExactly(
                    tuple("purge", SUCCEEDED, 1), tuple("verify", TaskReport.Outcome.FAILED, 3),
                    tuple("backup", TaskReport.Outcome.DEPENDENCY_FAILED, 0));
            assertThat(report.task("verify").cause()).contains("hour 2026-01-05T10:00:00Z: 0 KPIs matched their raw events,"
                    + " 1 differed; first: node ").contains("host/load").contains("stored count=2");
            assertThat(zips()).isEmpty();
        }
    }

    @Test
    void withRawEventsOffVerifyIsSkippedWithTheReasonAndTheBackupStillRuns() throws Exception {
        ManualClock clock = ManualClock.at(TEN);
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withPublisher(new GraceConfig.Publisher(Duration.ofMinutes(5), false, 1 << 16))
                .withStore(GraceConfig.Store.defaults().withFlushInterval(Duration.ofMillis(50)));
        TranscendencePlugin plugin = new TranscendencePlugin();
        try (GraceRuntime rt = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(plugin)
                .schedulers((id, threads) -> schedulers.computeIfAbsent(id, k -> new HeldScheduler(threads))).build()) {
            rt.start();
            schedulers.get("transcendence").runPeriodic();
            PlanReport report = plugin.lastMaintenance().orElseThrow();
            assertThat(report.tasks()).extracting(TaskReport::id, TaskReport::outcome)
                    .containsExactly(tuple("purge", SUCCEEDED), tuple("verify", SKIPPED), tuple("backup", SUCCEEDED));
            assertThat(report.task("verify").cause()).isEqualTo("raw events are off (publisher.rawEvents=false):"
                    + " there is nothing to recompute hour 2026-01-05T09:00:00Z from");
            assertThat(zips()).hasSize(1);
        }
    }
}
