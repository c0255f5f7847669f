package dev.grace.runtime.internal.rollup;

import dev.grace.api.Kpi;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RollupRegistryCountTest {

    private static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).build();

    @Test
    void acceptedCountOfAKpiAddsItsPluginsAndKeepsHoursNoLongerHeld() {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T10:00:00Z"));
        RollupRegistry registry = new RollupRegistry(clock, Duration.ZERO, 1); // keep one closed hour
        KpiAccumulator a = registry.register("a", "web", LATENCY);
        KpiAccumulator b = registry.register("b", "web", LATENCY);
        KpiAccumulator other = registry.register("c", "batch", LATENCY);
        for (int hour = 0; hour < 4; hour++) {
            a.addNow(1.0);
            a.addNow(3.0);
            b.addNow(5.0);
            other.addNow(7.0);
            clock.advance(Duration.ofHours(1));
            registry.turn();
        }
        registry.turn();

        assertThat(registry.rollups()).hasSizeLessThan(8); // hours were retired from memory
        assertThat(registry.acceptedCount("web", "latency")).isEqualTo(12);
        assertThat(registry.acceptedCount("batch", "latency")).isEqualTo(4);
        assertThat(registry.acceptedCount("web", "missing")).isZero();
    }

    @Test
    void oneKpisHourIsMergedAcrossItsPluginsAndAbsentWithoutValues() {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T10:00:00Z"));
        RollupRegistry registry = new RollupRegistry(clock, Duration.ofHours(2), 2);
        registry.register("a", "web", LATENCY).addNow(2.0);
        registry.register("b", "web", LATENCY).addNow(4.0);
        long hour = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

        HourlyRollup merged = registry.hour("web", "latency", hour);
        assertThat(merged.count()).isEqualTo(2);
        assertThat(merged.mean()).isEqualTo(3.0);
        assertThat(registry.hour("web", "latency", hour + 3_600_000L)).isNull();
        assertThat(new MemoryRollups(registry).hour("web", "latency", Instant.ofEpochMilli(hour))).isPresent();
    }
}
