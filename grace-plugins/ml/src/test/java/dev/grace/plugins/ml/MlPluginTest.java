package dev.grace.plugins.ml;

import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MlPluginTest {

    @TempDir
    Path dir;

    /** Two classes split by x: label a below 5, b above; {@code flip} mislabels every training row. */
    private static String twoClasses(boolean flip) {
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 40; i++) {
            double x = i < 20 ? i * 0.2 : 6 + (i - 20) * 0.2;
            String label = x < 5 ? "a" : "b";
            boolean heldOut = i % 5 == 4;
            if (flip && !heldOut) {
                label = label.equals("a") ? "b" : "a";
            }
            csv.append(x).append(',').append(i % 3).append(',').append(label).append('\n');
        }
        return csv.toString();
    }

    @Test
    void withNoConfigItTrainsOnTheShippedIrisAndRetrainsOnSchedule() {
        try (PluginHarness h = PluginHarness.forPlugin(new MlPlugin()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("model_accuracy")).singleElement().satisfies(a -> assertThat(a).isGreaterThanOrEqualTo(0.9));
            assertThat(h.values("training_time")).singleElement().satisfies(t -> assertThat(t).isPositive());
            assertThat(h.values("inference_latency")).singleElement().satisfies(t -> assertThat(t).isPositive().isLessThan(0.01));

            h.advance(Duration.ofSeconds(15));      // checks at 5 s, 10 s, 15 s; the schedule is due at 15 s
            assertThat(h.values("auto_retrain_triggers")).containsExactly(0.0, 0.0, 1.0);
            assertThat(h.values("deployment_success")).as("same data, same model: it passes the gate").containsExactly(1.0);
            assertThat(h.values("model_accuracy")).hasSize(2).allSatisfy(a -> assertThat(a).isEqualTo(h.values("model_accuracy").get(0)));
            assertThat(h.rejected()).isEmpty();
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void aChangedFileTriggersARetrainAndAWorseModelIsKeptOutOfService() throws Exception {
        Path data = dir.resolve("data.csv");
        Files.writeString(data, twoClasses(false));
        try (PluginHarness h = PluginHarness.forPlugin(new MlPlugin()).config("data", data.toString())
                .config("retrainEvery", "1h").start()) {
            assertThat(h.values("model_accuracy")).containsExactly(1.0);

            Files.writeString(data, twoClasses(true));   // every training row mislabelled; held-out rows right
            Files.setLastModifiedTime(data, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
            h.advance(Duration.ofSeconds(5));
            assertThat(h.values("auto_retrain_triggers")).containsExactly(1.0);
            assertThat(h.values("deployment_success")).as("the retrained model fails the gate").containsExactly(0.0);
            assertThat(h.values("model_accuracy")).as("the deployed model, measured on the new held-out rows")
                    .containsExactly(1.0, 1.0);

            Files.writeString(data, twoClasses(false));
            Files.setLastModifiedTime(data, FileTime.from(Instant.parse("2030-01-02T00:00:00Z")));
            h.advance(Duration.ofSeconds(5));
            assertThat(h.values("deployment_success")).containsExactly(0.0, 0.5);
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void aMissingOrMalformedCsvFailsThePluginNamingKeyFileAndLine() throws Exception {
        try (PluginHarness h = PluginHarness.forPlugin(new MlPlugin()).config("data", dir.resolve("none.csv").toString()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.ml.data").contains("cannot read").contains("none.csv");
        }
        Path bad = Files.writeString(dir.resolve("bad.csv"), "x,label\n1,a\nten,b\n");
        try (PluginHarness h = PluginHarness.forPlugin(new MlPlugin()).config("data", bad.toString()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.ml.data").contains("bad.csv line 3, column x: expected a number");
        }
    }

    @Test
    void loadsAsAJarThroughTheRealRuntimeAndPublishesItsKpis() throws Exception {
        Path jar = PluginJar.builder().library(Path.of("target/classes"))
                .manifest("Grace-Plugin-Id", "ml").manifest("Grace-Api-Range", "[0.1,1)")
                .build(dir.resolve("jar/ml.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.status().source()).endsWith("ml.jar");
            assertThat(h.values("model_accuracy")).singleElement().satisfies(a -> assertThat(a).isGreaterThanOrEqualTo(0.9));
        }
    }
}
