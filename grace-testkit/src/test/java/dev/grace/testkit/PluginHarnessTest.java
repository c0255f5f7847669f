package dev.grace.testkit;

import dev.grace.api.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Plugin tests written the way a plugin author writes them. */
class PluginHarnessTest {

    @TempDir
    Path dir;

    @Test
    void publishesWhatItMeasuredAndTheBadValueIsRejected() throws Exception {
        Path input = Files.write(dir.resolve("input.txt"), List.of("one", "", "three", "four"));
        try (PluginHarness h = PluginHarness.forPlugin(new LineCounterPlugin()).config("input", input.toString()).start()) {
            assertThat(h.is(State.RUNNING)).isTrue();
            assertThat(h.values("lines")).containsExactly(4.0);
            assertThat(h.last("empty_share")).contains(0.25);
            assertThat(h.rejected()).containsExactly(new Rejected("lines", -1, RejectReason.OUT_OF_RANGE));
            assertThat(h.rejected(RejectReason.OUT_OF_RANGE)).isEqualTo(1);
            assertThat(h.hour("lines")).hasValueSatisfying(r -> {
                assertThat(r.count()).isEqualTo(1);
                assertThat(r.mean()).isEqualTo(4.0);
                assertThat(r.p95()).isBetween(3.96, 4.04);
                assertThat(r.hourStart()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            });
        }
    }

    @Test
    void aMissingConfigKeyFailsThePluginWithItsCause() {
        try (PluginHarness h = PluginHarness.forPlugin(new LineCounterPlugin()).start()) {
            assertThat(h.currentState()).isEqualTo(State.FAILED);
            assertThat(h.cause()).contains("config key 'input' is required");
        }
    }

    @Test
    void eventTimesComeFromTheManualClockAndHoursTurnWithIt() throws Exception {
        Path input = Files.write(dir.resolve("input.txt"), List.of("a"));
        ManualClock clock = ManualClock.at("2026-03-01T10:59:00Z");
        try (PluginHarness h = PluginHarness.forPlugin(new LineCounterPlugin()).clock(clock)
                .config("input", input.toString()).start()) {
            assertThat(h.published()).first().extracting(Published::time).isEqualTo(clock.instant());
            h.advance(Duration.ofMinutes(2));
            assertThat(h.runtime().rollups().currentHour()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
            assertThat(h.currentHour("lines")).isEmpty();
            assertThat(h.rollups()).extracting(r -> r.hourStart().toString())
                    .containsOnly("2026-03-01T10:00:00Z");
        }
    }

    @Test
    void theTestkitsStatesAreTheRuntimesByName() {
        assertThat(java.util.Arrays.stream(State.values()).map(Enum::name))
                .containsExactlyElementsOf(java.util.Arrays.stream(dev.grace.runtime.PluginState.values())
                        .map(Enum::name).toList());
    }
}
