package dev.grace.runtime;

import dev.grace.api.PluginContext;
import dev.grace.api.RuntimeView;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeViewTest {

    @TempDir
    Path dir;

    private GraceConfig config() {
        return GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of(dir.resolve("plugins")))
                .withLifecycle(new GraceConfig.Lifecycle(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    /** Reads the view from its own start, while the runtime is still starting plugins. */
    static final class Watcher extends TestPlugins.Good {
        volatile List<RuntimeView.PluginView> seenAtStart;

        Watcher() {
            super("watcher", "core");
        }

        @Override
        public void start(PluginContext context) throws Exception {
            super.start(context);
            seenAtStart = context.runtime().plugins();
        }
    }

    @Test
    void aPluginSeesEveryPluginItsKpisAndTheTotalsWithoutWaitingForTheRuntime() {
        TestClock clock = new TestClock(Instant.parse("2026-11-22T10:15:00Z"));
        Watcher watcher = new Watcher();
        TestPlugins.Good other = new TestPlugins.Good("other", "ml");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config()).clock(clock).discoverClasspath(false)
                .plugin(watcher).plugin(other).build().start()) {
            assertThat(watcher.seenAtStart).extracting(RuntimeView.PluginView::id).containsExactly("watcher", "other");

            RuntimeView view = watcher.context.runtime();
            assertThat(view.plugins()).allSatisfy(p -> {
                assertThat(p.running()).isTrue();
                assertThat(p.stateSince()).isEqualTo(clock.instant());
            });
            assertThat(view.kpis()).extracting(k -> k.domain() + "/" + k.kpi().name())
                    .containsExactlyInAnyOrder("core/latency", "core/success", "ml/latency", "ml/success");

            other.publisher().record(TestPlugins.SUCCESS, 0.5);
            other.publisher().record(TestPlugins.SUCCESS, 0.7);
            other.publisher().record(TestPlugins.SUCCESS, Double.NaN);
            assertThat(view.publishing()).isEqualTo(new RuntimeView.PublishCounts(2, 1, 0));

            List<RuntimeView.HourPoint> hours = view.hourly("ml", "success", clock.instant().minus(Duration.ofDays(1)));
            assertThat(hours).singleElement().satisfies(h -> {
                assertThat(h.hour()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
                assertThat(h.count()).isEqualTo(2);
                assertThat(h.mean()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(h.closed()).isFalse();
            });
        }
    }

    @Test
    void aPluginMayQuarantineAnotherButNotItself() {
        Watcher watcher = new Watcher();
        TestPlugins.Good other = new TestPlugins.Good("other", "ml");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config()).discoverClasspath(false)
                .plugin(watcher).plugin(other).build().start()) {
            var actions = watcher.context.actions();
            assertThat(actions.quarantine("watcher", "test")).isFalse();
            assertThat(actions.quarantine("nobody", "test")).isFalse();
            assertThat(actions.quarantine("other", "failed its policy")).isTrue();
            assertThat(actions.quarantine("other", "again")).isFalse();
            PluginStatus status = runtime.plugins().stream().filter(p -> p.id().equals("other")).findFirst().orElseThrow();
            assertThat(status.state()).isEqualTo(PluginState.QUARANTINED);
            assertThat(status.cause()).contains("watcher").contains("failed its policy");
            assertThat(other.publisher().record(TestPlugins.SUCCESS, 0.5)).isFalse();
        }
    }
}
