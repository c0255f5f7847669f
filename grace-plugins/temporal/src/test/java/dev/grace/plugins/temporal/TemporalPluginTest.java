package dev.grace.plugins.temporal;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.testkit.ManualClock;
import dev.grace.testkit.PluginHarness;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemporalPluginTest {

    @TempDir
    Path dir;

    @Test
    void forecastsItsOwnKpisOnceTheyHaveHistoryAndScoresThemWhenTheHourCloses() throws Exception {
        try (PluginHarness h = PluginHarness.forPlugin(new TemporalPlugin()).dataDirectory(dir)
                .config("interval", "10m").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("graph_completeness")).containsExactly(0.0);
            assertThat(h.values("forecasts")).containsExactly(0.0);

            h.advance(Duration.ofHours(3));
            h.runDueTasks();                       // the round due at 03:00:00, after the hour turned
            // at 03:00 graph_completeness and forecasts have three closed hours, the other three KPIs none
            assertThat(h.last("graph_completeness")).hasValue(0.4);
            assertThat(h.last("forecasts")).hasValue(2.0);
            assertThat(h.values("prediction_accuracy")).isEmpty();
            assertThat(Files.readAllLines(dir.resolve("plugins/temporal/pending.tsv"))).hasSize(2);

            h.advance(Duration.ofHours(1));
            h.runDueTasks();
            // hours 0..2 were all 0, so both were forecast 0 for hour 3; they were 0.5 and 2: 100 % error
            assertThat(h.values("prediction_accuracy")).containsExactly(0.0);
            assertThat(h.values("forecast_skill")).as("hours 0..2 were constant: no skill to judge, no figure").isEmpty();
            assertThat(h.values("event_latency")).as("scored by the round at 04:00:00").containsExactly(0.0);

            h.advance(Duration.ofHours(1));
            h.runDueTasks();
            assertThat(h.values("prediction_accuracy")).hasSize(2)
                    .allSatisfy(a -> assertThat(a).isBetween(0.0, 1.0));
            assertThat(h.rejected()).isEmpty();
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void badConfigFailsThePluginNamingTheKey() {
        try (PluginHarness h = PluginHarness.forPlugin(new TemporalPlugin()).dataDirectory(dir)
                .config("minHistory", "2").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).isEqualTo("start threw java.lang.IllegalArgumentException:"
                    + " plugins.temporal.minHistory: must be at least 3 closed hours (two to start the trend,"
                    + " one to judge the smoothing by), got 2");
        }
        try (PluginHarness h = PluginHarness.forPlugin(new TemporalPlugin()).dataDirectory(dir)
                .config("alpha", "NaN").config("beta", "0.3").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.temporal.alpha must be a finite number, got \"NaN\"");
        }
    }

    @Test
    void aFailedTemporalPluginLeavesTheOthersRunning() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withPlugins(Map.of("temporal", Map.of("alpha", "0.5")))
                .withStore(GraceConfig.Store.defaults().withEnabled(false));
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(ManualClock.at("2026-01-01T00:00:00Z"))
                .discoverClasspath(false).supervise(false)
                .plugin(new TemporalPlugin()).plugin(new SeriesPlugin()).build().start()) {
            assertThat(runtime.plugins()).extracting(PluginStatus::id, PluginStatus::state).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("temporal", PluginState.FAILED),
                    org.assertj.core.groups.Tuple.tuple("series", PluginState.RUNNING));
            assertThat(runtime.plugins().get(0).cause()).endsWith(
                    "plugins.temporal.alpha and plugins.temporal.beta: set both or neither, got only alpha");
        }
    }

    @Test
    void loadsAsAJarThroughTheRealRuntimeAndPublishesItsKpis() throws Exception {
        Path jar = PluginJar.builder().library(Path.of("target/classes"))
                .manifest("Grace-Plugin-Id", "temporal").manifest("Grace-Api-Range", "[0.1,1)")
                .build(dir.resolve("jar/temporal.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).dataDirectory(dir.resolve("data")).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.status().source()).endsWith("temporal.jar");
            assertThat(h.values("graph_completeness")).containsExactly(0.0);
            assertThat(h.values("forecasts")).containsExactly(0.0);
            h.advance(Duration.ofHours(4));
            h.runDueTasks();
            assertThat(h.values("prediction_accuracy")).isNotEmpty();
        }
    }
}
