package dev.grace.plugins.core;

import dev.grace.testkit.ControlledPlugin;
import dev.grace.testkit.StepScheduler;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Core watching a real runtime with a real H2 store and other plugins that fail, restart and publish badly. */
class CoreRuntimeTest {

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final Map<String, StepScheduler> schedulers = new ConcurrentHashMap<>();
    private final List<RawEvent> events = Collections.synchronizedList(new ArrayList<>());
    private GraceRuntime runtime;

    private GraceRuntime start(Map<String, Map<String, Object>> sections, ControlledPlugin... others) {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withSupervision(new GraceConfig.Supervision(null, 5, null, Duration.ofSeconds(1), null))
                .withPlugins(sections);
        GraceRuntime.Builder b = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .supervise(false).rawEventSink(events::addAll)
                .schedulers((id, threads) -> {
                    StepScheduler s = new StepScheduler(threads);
                    schedulers.put(id, s);
                    return s;
                })
                .plugin(new CorePlugin());
        for (ControlledPlugin p : others) {
            b.plugin(p);
        }
        runtime = b.build().start();
        return runtime;
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** One observation by core, then every raw event it published is in the store. */
    private void observe() {
        schedulers.get("core").step();
        assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
    }

    private List<Double> values(String kpi) {
        synchronized (events) {
            return events.stream().filter(e -> e.domain().equals("core") && e.kpi().equals(kpi)).map(RawEvent::value).toList();
        }
    }

    private long coreEventsAt(Instant t) {
        synchronized (events) {
            return events.stream().filter(e -> e.domain().equals("core") && e.epochMillis() == t.toEpochMilli()).count();
        }
    }

    @Test
    void measuresUptimeHealingAndRejectionsOfThePluginsAroundIt() {
        ControlledPlugin flaky = new ControlledPlugin("flaky");
        ControlledPlugin noisy = new ControlledPlugin("noisy");
        start(Map.of(), flaky, noisy);
        observe();                                         // 00:00 the baseline
        assertThat(values("governance_score")).containsExactly(1.0);

        clock.advance(Duration.ofSeconds(5));
        observe();                                         // 00:05
        flaky.unhealthy(true);
        clock.advance(Duration.ofSeconds(1));
        runtime.supervise();                               // 00:06 flaky stopped, RESTARTING
        flaky.unhealthy(false);
        assertThat(runtime.plugins()).filteredOn(p -> p.id().equals("flaky")).extracting(PluginStatus::state)
                .containsExactly(PluginState.RESTARTING);
        clock.advance(Duration.ofSeconds(4));
        observe();                                         // 00:10
        clock.advance(Duration.ofSeconds(2));
        runtime.supervise();                               // 00:12 backoff over: flaky restarted, RUNNING
        assertThat(flaky.starts()).isEqualTo(2);
        assertThat(noisy.publish(Double.NaN, null)).isFalse();
        assertThat(noisy.publish(-1, null)).isFalse();
        clock.advance(Duration.ofSeconds(3));
        observe();                                         // 00:15

        assertThat(values("uptime")).containsExactly(1.0, 1.0 / 5, 3.0 / 5);
        assertThat(values("healing_actions")).containsExactly(0.0, 0.0, 1.0);
        assertThat(values("verification_failures")).containsExactly(0.0, 0.0, 2.0);
        assertThat(values("governance_score")).containsExactly(1.0, 1.0, 1.0, 1.0);
    }

    @Test
    void uptimeDropsWhileAPluginIsDownAndRecoversOnceItRunsAgain() {
        ControlledPlugin flaky = new ControlledPlugin("flaky");
        start(Map.of(), flaky, new ControlledPlugin("steady"));
        observe();                                         // 00:00 the baseline
        clock.advance(Duration.ofSeconds(5));
        observe();                                         // 00:05 everything up
        flaky.unhealthy(true);
        clock.advance(Duration.ofSeconds(1));
        runtime.supervise();                               // 00:06 flaky down, RESTARTING
        clock.advance(Duration.ofSeconds(4));
        observe();                                         // 00:10 the slice is down from 00:06
        flaky.unhealthy(false);
        clock.advance(Duration.ofSeconds(2));
        runtime.supervise();                               // 00:12 restarted, RUNNING
        assertThat(flaky.starts()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(3));
        observe();                                         // 00:15 down 00:10-00:12
        clock.advance(Duration.ofSeconds(5));
        observe();                                         // 00:20 a whole slice up again

        assertThat(values("uptime")).as("degraded by the outage, restored once the plugin runs")
                .containsExactly(1.0, 1.0 / 5, 3.0 / 5, 1.0);
    }

    @Test
    void rejectionsOfABadPublisherRaiseTheRateAndItReturnsToZeroOnceItPublishesValidValues() {
        ControlledPlugin noisy = new ControlledPlugin("noisy");
        start(Map.of(), noisy);
        observe();                                         // the baseline
        assertThat(noisy.publish(1, null)).isTrue();
        clock.advance(Duration.ofSeconds(5));
        observe();
        assertThat(noisy.publish(Double.NaN, null)).isFalse();
        assertThat(noisy.publish(-1, null)).isFalse();
        assertThat(noisy.publish(Double.POSITIVE_INFINITY, null)).isFalse();
        clock.advance(Duration.ofSeconds(5));
        observe();
        assertThat(noisy.publish(2, null)).isTrue();
        assertThat(noisy.publish(3, null)).isTrue();
        clock.advance(Duration.ofSeconds(5));
        observe();

        assertThat(values("verification_failures")).as("clean, three rejected, clean again")
                .containsExactly(0.0, 3.0, 0.0);
        assertThat(values("rejection_rate")).as("1 of 1 good, 3 of 3 bad, 2 of 2 good")
                .containsExactly(0.0, 1.0, 0.0);
    }

    @Test
    void theRejectionRateIsTheShareOfTheOthersValuesRejectedWithoutCoresOwn() {
        ControlledPlugin mixed = new ControlledPlugin("mixed");
        start(Map.of(), mixed);
        observe();                                         // the baseline
        clock.advance(Duration.ofSeconds(5));
        observe();                                         // core published; the other nothing
        assertThat(values("rejection_rate")).as("no value given to any other publisher: no rate").isEmpty();
        for (int i = 0; i < 3; i++) {
            assertThat(mixed.publish(i, null)).isTrue();
        }
        assertThat(mixed.publish(Double.NaN, null)).isFalse();
        clock.advance(Duration.ofSeconds(5));
        observe();
        assertThat(values("rejection_rate")).containsExactly(1.0 / 4);
    }

    @Test
    void eventBusLatencyIsTheStoresMeanPublishToCommitTimeSinceTheLastLook() {
        ControlledPlugin late = new ControlledPlugin("late");
        start(Map.of(), late);
        observe();
        Instant now = clock.instant();
        long coreEvents = coreEventsAt(now);
        assertThat(coreEvents).isPositive();
        // one value stamped 2 s ago: committed now, it waited 2 s on the runtime's clock; core's own waited 0 s
        assertThat(late.publish(1, now.minusSeconds(2))).isTrue();
        assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
        observe();
        assertThat(values("event_bus_latency")).last().isEqualTo(2.0 / (coreEvents + 1));
    }

    @Test
    void aPluginThatFailedToStartKeepsUptimeAtZero() {
        ControlledPlugin broken = new ControlledPlugin("broken");
        broken.failStartWith("no disk");
        start(Map.of("core", Map.of("interval", "5s")), new ControlledPlugin("ok"), broken);
        observe();
        clock.advance(Duration.ofSeconds(10));
        observe();
        assertThat(values("uptime")).containsExactly(0.0, 0.0);
    }

    @Test
    void badConfigFailsCoreWithItsCauseAndLeavesTheOthersRunning() {
        start(Map.of("core", Map.of("interval", "7s")), new ControlledPlugin("ok"));
        assertThat(runtime.plugins()).filteredOn(p -> p.id().equals("core")).singleElement().satisfies(p -> {
            assertThat(p.state()).isEqualTo(PluginState.FAILED);
            assertThat(p.cause()).contains("plugins.core.interval must be a duration that divides one hour").contains("\"7s\"");
        });
        assertThat(runtime.plugins()).filteredOn(p -> p.id().equals("ok")).extracting(PluginStatus::state)
                .containsExactly(PluginState.RUNNING);
    }
}
