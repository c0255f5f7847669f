package dev.grace.testkit;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A plugin's schedule runs in virtual time under the harness: no waiting, no races. */
class VirtualTimeTest {

    /** Publishes how many ticks it has seen, every 10 minutes; its second task throws once. */
    public static final class Ticker implements DomainPlugin {
        static final Kpi TICKS = Kpi.builder("ticks", Kpi.Unit.COUNT).build();
        final AtomicInteger ticks = new AtomicInteger();

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("ticker").domain("temporal").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(TICKS);
        }

        @Override
        public void start(PluginContext context) {
            context.scheduler().scheduleAtFixedRate(() -> context.publisher().record(TICKS, ticks.incrementAndGet()),
                    10, 10, TimeUnit.MINUTES);
            context.scheduler().schedule(() -> {
                throw new IllegalStateException("boom");
            }, 5, TimeUnit.MINUTES);
        }
    }

    @Test
    void advancingRunsEveryDueTaskAtItsOwnTimeAndInItsOwnHour() {
        ManualClock clock = ManualClock.at("2026-05-01T09:35:00Z");
        try (PluginHarness h = PluginHarness.forPlugin(new Ticker()).clock(clock).start()) {
            assertThat(h.values("ticks")).isEmpty();

            h.advance(Duration.ofMinutes(60));

            assertThat(h.values("ticks")).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
            assertThat(h.published()).extracting(p -> p.time().toString()).containsExactly(
                    "2026-05-01T09:45:00Z", "2026-05-01T09:55:00Z", "2026-05-01T10:05:00Z",
                    "2026-05-01T10:15:00Z", "2026-05-01T10:25:00Z", "2026-05-01T10:35:00Z");
            assertThat(clock.instant()).isEqualTo(Instant.parse("2026-05-01T10:35:00Z"));
            assertThat(h.rollups()).extracting(r -> r.hourStart().toString() + "=" + (long) r.count())
                    .containsExactly("2026-05-01T09:00:00Z=2", "2026-05-01T10:00:00Z=4");
            assertThat(h.failedTasks()).isEqualTo(1);
        }
    }

    @Test
    void aTaskDueExactlyAtAnHourBoundaryTargetRunsInTheNewHour() {
        ManualClock clock = ManualClock.at("2026-05-01T09:50:00Z");
        try (PluginHarness h = PluginHarness.forPlugin(new Ticker()).clock(clock).start()) {
            h.advance(Duration.ofMinutes(10)); // to 10:00:00 exactly, when the first tick is due

            assertThat(h.values("ticks")).containsExactly(1.0);
            assertThat(h.published()).extracting(p -> p.time().toString()).containsExactly("2026-05-01T10:00:00Z");
            assertThat(h.rollups()).extracting(r -> r.hourStart().toString()).containsExactly("2026-05-01T10:00:00Z");
        }
    }
}
