package dev.grace.plugins.core;

import dev.grace.api.Kpi;
import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CorePluginTest {

    @TempDir
    Path dir;

    @Test
    void aloneItSeesItselfVettedAndNothingElseToWatch() {
        try (PluginHarness h = PluginHarness.forPlugin(new CorePlugin()).dataDirectory(dir).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("governance_score")).containsExactly(1.0);
            assertThat(h.values("healing_actions")).as("the first observation is the baseline").isEmpty();

            h.advance(Duration.ofSeconds(10));
            assertThat(h.values("uptime")).as("two 5 s slices, no other plugin to be down").containsExactly(1.0, 1.0);
            assertThat(h.values("healing_actions")).containsExactly(0.0, 0.0);
            assertThat(h.values("verification_failures")).containsExactly(0.0, 0.0);
            assertThat(h.values("rejection_rate")).as("no other plugin published anything").isEmpty();
            assertThat(h.values("event_bus_latency")).as("no store: nothing is persisted, nothing published").isEmpty();
            assertThat(h.rejected()).isEmpty();
        }
    }

    @Test
    void onlyKpisThatCanMoveBearOnHealthAndTheirHealthyConstantIsDeclaredLegitimate() {
        assertThat(new CorePlugin().kpis()).filteredOn(Kpi::healthBearing).extracting(Kpi::name)
                .containsExactlyInAnyOrder("uptime", "rejection_rate");
        assertThat(new CorePlugin().kpis()).filteredOn(Kpi::healthBearing).allMatch(Kpi::mayBeConstant);
        assertThat(CorePlugin.GOVERNANCE_SCORE.healthBearing()).as("fixed at load time: cannot move while running").isFalse();
        assertThat(CorePlugin.VERIFICATION_FAILURES.healthBearing()).as("a count with target 0 is never scored").isFalse();
    }

    @Test
    void theIntervalSetsTheSliceLength() {
        try (PluginHarness h = PluginHarness.forPlugin(new CorePlugin()).dataDirectory(dir).config("interval", "1m").start()) {
            h.advance(Duration.ofMinutes(3));
            assertThat(h.values("uptime")).hasSize(3);
            assertThat(h.published()).filteredOn(p -> p.kpi().equals("uptime"))
                    .extracting(p -> p.time().toString())
                    .containsExactly("2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z", "2026-01-01T00:03:00Z");
        }
    }

    @Test
    void aSliceFinishedInTheHourBeforeIsStampedIntoThatHour() {
        try (PluginHarness h = PluginHarness.forPlugin(new CorePlugin()).dataDirectory(dir).config("interval", "1m").start()) {
            h.advance(Duration.ofMinutes(60));
            h.runDueTasks();    // the observation at 01:00 itself, which completes the slice 00:59-01:00
            assertThat(h.published()).filteredOn(p -> p.kpi().equals("uptime")).last()
                    .satisfies(p -> assertThat(p.time().toString()).isEqualTo("2026-01-01T00:59:59.999Z"));
            assertThat(h.rollups()).filteredOn(r -> r.kpi().equals("uptime"))
                    .singleElement().satisfies(r -> assertThat(r.count()).isEqualTo(60));
        }
    }

    @Test
    void anIntervalThatDoesNotDivideTheHourFailsThePluginNamingTheKey() {
        try (PluginHarness h = PluginHarness.forPlugin(new CorePlugin()).dataDirectory(dir).config("interval", "7s").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.core.interval").contains("divides one hour").contains("\"7s\"");
        }
        try (PluginHarness h = PluginHarness.forPlugin(new CorePlugin()).dataDirectory(dir).config("interval", "soon").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.core.interval").contains("soon");
        }
    }

    @Test
    void loadsAsAJarThroughTheRealRuntimeAndPublishesItsKpis() throws Exception {
        Path jar = PluginJar.builder().library(Path.of("target/classes"))
                .manifest("Grace-Plugin-Id", "core").manifest("Grace-Api-Range", "[0.1,1)")
                .build(dir.resolve("jar/core.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).dataDirectory(dir.resolve("data")).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.status().source()).endsWith("core.jar");
            assertThat(h.values("governance_score")).containsExactly(1.0);
            h.advance(Duration.ofSeconds(5));
            assertThat(h.values("uptime")).containsExactly(1.0);
            assertThat(h.values("verification_failures")).containsExactly(0.0);
        }
    }
}
