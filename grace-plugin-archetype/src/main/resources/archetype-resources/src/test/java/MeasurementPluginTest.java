package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.PluginState;
import dev.grace.testkit.ManualClock;
import dev.grace.testkit.PluginHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/** The plugin under the real runtime's rules, on a manual clock: no test waits for real time. */
class MeasurementPluginTest {

    @Test
    void measuresAtStartAndAtEachInterval() {
        ManualClock clock = ManualClock.at("2026-01-05T10:00:00Z");
        try (PluginHarness h = PluginHarness.forPlugin(new MeasurementPlugin()).clock(clock)
                .config("interval", "10s").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("heap_used")).as("the first measurement runs at start").hasSize(1);

            h.advance(Duration.ofSeconds(25));

            assertThat(h.values("heap_used")).hasSize(3).allSatisfy(v -> assertThat(v).isPositive());
            assertThat(h.values("heap_used_share")).hasSize(3).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
            assertThat(h.rejected()).isEmpty();
            assertThat(h.failedTasks()).isZero();
        }
    }
}
