package dev.grace.plugins.transcendence;

import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class TranscendencePluginTest {

    @TempDir
    Path dir;

    @Test
    void withTheStoreOffTheMaintenancePlanSkipsEveryTaskWithTheReasonAndPublishesNoSuccessRate() {
        TranscendencePlugin plugin = new TranscendencePlugin();
        try (PluginHarness h = PluginHarness.forPlugin(plugin).dataDirectory(dir).config("interval", "10s").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            h.advance(Duration.ofSeconds(10));

            PlanReport report = plugin.lastMaintenance().orElseThrow();
            assertThat(report.tasks()).extracting(TaskReport::id, TaskReport::outcome, TaskReport::attempts, TaskReport::cause)
                    .containsExactly(
                            tuple("purge", TaskReport.Outcome.SKIPPED, 1, "the store is off (store.enabled=false)"),
                            tuple("verify", TaskReport.Outcome.SKIPPED, 1, "the store is off (store.enabled=false)"),
                            tuple("backup", TaskReport.Outcome.SKIPPED, 1, "the store is off (store.enabled=false)"));
            assertThat(h.values("task_success")).as("nothing was attempted, so no rate").isEmpty();
            assertThat(h.values("retries")).containsExactly(0.0, 0.0);
            assertThat(h.values("plan_duration")).hasSize(2).allSatisfy(s -> assertThat(s).isPositive());
            assertThat(h.rejected()).isEmpty();
            assertThat(h.failedTasks()).isZero();
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
            assertThat(h.values("task_success")).as("the store is off: maintenance publishes none").containsExactly(0.5);
            assertThat(h.values("planning_accuracy")).hasSize(1);
        }
    }

    @Test
    void taskSuccessFallsWhenATaskBreaksAndRecoversWhenItIsFixed() {
        TranscendencePlugin plugin = new TranscendencePlugin();
        AtomicBoolean broken = new AtomicBoolean();
        Plan plan = new Plan("sync", List.of(Task.builder("fetch", () -> { }).build(),
                Task.builder("load", () -> {
                    if (broken.get()) {
                        throw new IllegalStateException("target refuses writes");
                    }
                }).retries(1).build()));
        try (PluginHarness h = PluginHarness.forPlugin(plugin).dataDirectory(dir).config("interval", "1h").start()) {
            CompletableFuture<PlanReport> healthy = plugin.submit(plan);
            h.runDueTasks();
            healthy.join();
            broken.set(true);
            CompletableFuture<PlanReport> degraded = plugin.submit(plan);
            h.runDueTasks();
            assertThat(degraded.join().retries()).isEqualTo(1);
            broken.set(false);
            CompletableFuture<PlanReport> restored = plugin.submit(plan);
            h.runDueTasks();
            restored.join();
            assertThat(h.values("task_success")).containsExactly(1.0, 0.5, 1.0);
        }
    }

    @Test
    void badConfigFailsThePluginNamingTheKeys() {
        try (PluginHarness h = PluginHarness.forPlugin(new TranscendencePlugin()).dataDirectory(dir)
                .config("retries", "-1").config("backupInterval", "1h").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).isEqualTo("start threw java.lang.IllegalArgumentException:"
                    + " plugins.transcendence.retries: must not be negative, got -1");
        }
    }

    @Test
    void aNegativeBackupIntervalFailsThePluginNamingTheKey() {
        try (PluginHarness h = PluginHarness.forPlugin(new TranscendencePlugin()).dataDirectory(dir)
                .config("backupInterval", "-5m").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).isEqualTo("start threw dev.grace.api.PluginConfigException: plugin transcendence:"
                    + " config key plugins.transcendence.backupInterval must be a duration such as 30s, 2h or PT2H,"
                    + " got \"-5m\"");
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
            assertThat(h.values("plan_duration")).hasSize(1);
            assertThat(h.values("retries")).containsExactly(0.0);
        }
    }
}
