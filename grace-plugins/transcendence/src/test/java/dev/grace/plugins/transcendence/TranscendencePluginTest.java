package dev.grace.plugins.transcendence;

import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TranscendencePluginTest {

    @TempDir
    Path dir;

    private static Path find(Path root, String name) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    private static List<Path> backups(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().matches("journal-\\d+\\.tsv")).sorted().toList();
        }
    }

    @Test
    void runsTheMaintenancePlanOnScheduleAndLearnsItsEstimates() throws Exception {
        try (PluginHarness h = PluginHarness.forPlugin(new TranscendencePlugin()).dataDirectory(dir)
                .config("interval", "10s").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("task_success")).containsExactly(1.0);
            assertThat(h.values("retries")).containsExactly(0.0);
            assertThat(h.values("plan_duration")).singleElement().satisfies(s -> assertThat(s).isPositive());
            assertThat(h.values("planning_accuracy")).as("no estimates before the first run").isEmpty();
            assertThat(backups(dir)).as("the journal did not exist yet at the first backup").isEmpty();

            h.advance(Duration.ofSeconds(10));
            assertThat(h.values("task_success")).containsExactly(1.0, 1.0);
            assertThat(h.values("planning_accuracy")).singleElement().satisfies(a -> assertThat(a).isBetween(0.0, 1.0));
            assertThat(Files.readAllLines(find(dir, "journal.tsv"))).hasSize(2);
            assertThat(backups(dir)).hasSize(1);
            assertThat(Files.readString(Path.of(backups(dir).get(0) + ".sha256")).strip())
                    .isEqualTo(MaintenancePlan.sha256(backups(dir).get(0)));
            assertThat(h.rejected()).isEmpty();
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void aCorruptJournalFailsVerifyAfterItsRetriesAndTheBackupThatDependsOnIt() throws Exception {
        try (PluginHarness h = PluginHarness.forPlugin(new TranscendencePlugin()).dataDirectory(dir)
                .config("interval", "10s").config("retries", "2").start()) {
            Path journal = find(dir, "journal.tsv");
            Files.writeString(journal, Files.readString(journal).replace("maintenance", "maintenancX"));

            h.advance(Duration.ofSeconds(10));
            assertThat(h.values("task_success")).containsExactly(1.0, 1.0 / 3);   // purge ran; verify and backup did not succeed
            assertThat(h.values("retries")).containsExactly(0.0, 2.0);
            assertThat(backups(dir)).isEmpty();
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void purgesBackupsAndJournalLinesOlderThanTheRetention() throws Exception {
        try (PluginHarness h = PluginHarness.forPlugin(new TranscendencePlugin()).dataDirectory(dir)
                .config("interval", "10m").config("retention", "15m").start()) {
            h.advance(Duration.ofMinutes(10));
            assertThat(backups(dir)).hasSize(1);
            h.advance(Duration.ofMinutes(20));       // runs at 20 m and 30 m
            assertThat(backups(dir)).as("the backup taken at 10 m is gone by 30 m").hasSize(2);
            assertThat(Files.readAllLines(find(dir, "journal.tsv")))
                    .as("the 0 m and 10 m lines purged at 30 m; the 20 m line and the 30 m run's own remain").hasSize(2);
        }
    }

    @Test
    void aHostSubmitsItsOwnPlan() {
        TranscendencePlugin plugin = new TranscendencePlugin();
        try (PluginHarness h = PluginHarness.forPlugin(plugin).dataDirectory(dir).config("interval", "1h").start()) {
            CompletableFuture<PlanReport> report = plugin.submit(new Plan("deploy", List.of(
                    Task.builder("build", () -> { }).estimate(Duration.ofMillis(1)).build(),
                    Task.builder("ship", () -> { throw new IllegalStateException("registry down"); })
                            .dependsOn("build").build())));
            h.runDueTasks();
            assertThat(report).isCompleted();
            assertThat(report.join().task("ship").cause()).contains("registry down");
            assertThat(h.values("task_success")).containsExactly(1.0, 0.5);
            assertThat(h.values("planning_accuracy")).hasSize(1);
        }
    }

    @Test
    void badConfigFailsThePluginNamingTheKeys() {
        try (PluginHarness h = PluginHarness.forPlugin(new TranscendencePlugin()).dataDirectory(dir)
                .config("retries", "-1").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).isEqualTo("start threw java.lang.IllegalArgumentException:"
                    + " plugins.transcendence.retries: must not be negative, got -1");
        }
    }

    @Test
    void loadsAsAJarThroughTheRealRuntimeAndPublishesItsKpis() throws Exception {
        Path jar = PluginJar.builder().library(Path.of("target/classes"))
                .manifest("Grace-Plugin-Id", "transcendence").manifest("Grace-Api-Range", "[0.1,1)")
                .build(dir.resolve("jar/transcendence.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).dataDirectory(dir.resolve("data")).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.status().source()).endsWith("transcendence.jar");
            assertThat(h.values("task_success")).containsExactly(1.0);
        }
    }
}
