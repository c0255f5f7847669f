package dev.grace.plugins.parliament;

import dev.grace.testkit.ControlledPlugin;
import dev.grace.testkit.StepScheduler;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.testkit.ManualClock;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Parliament governing a real runtime: a plugin that keeps failing is proposed, voted and quarantined. */
class ParliamentRuntimeTest {

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final Map<String, StepScheduler> schedulers = new ConcurrentHashMap<>();
    private final List<RawEvent> events = Collections.synchronizedList(new ArrayList<>());
    private GraceRuntime runtime;

    private void start(List<Path> pluginsDirs, Map<String, Map<String, Object>> sections, Object... plugins) {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(pluginsDirs)
                // the supervisor would quarantine after 10 restarts; parliament's limit is lower
                .withSupervision(new GraceConfig.Supervision(null, 10, null, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .withStore(GraceConfig.Store.defaults().withEnabled(false))
                .withPlugins(sections);
        GraceRuntime.Builder b = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .supervise(false).rawEventSink(events::addAll)
                .schedulers((id, threads) -> {
                    StepScheduler s = new StepScheduler(threads);
                    schedulers.put(id, s);
                    return s;
                });
        for (Object p : plugins) {
            b.plugin((dev.grace.api.DomainPlugin) p);
        }
        runtime = b.build().start();
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private PluginStatus status(String id) {
        return runtime.plugins().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private List<Double> values(String kpi) {
        assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
        synchronized (events) {
            return events.stream().filter(e -> e.domain().equals("parliament") && e.kpi().equals(kpi))
                    .map(RawEvent::value).toList();
        }
    }

    /** Fails {@code flaky} and lets the supervisor restart it, {@code times} times, reviewing after each. */
    private void failAndRestart(ControlledPlugin flaky, int times) {
        flaky.unhealthy(true);
        for (int i = 0; i < times; i++) {
            clock.advance(Duration.ofSeconds(1));
            runtime.supervise();                  // unhealthy: stopped, RESTARTING
            schedulers.get("parliament").step();
            clock.advance(Duration.ofSeconds(1));
            runtime.supervise();                  // backoff over: restarted, RUNNING
        }
        clock.advance(Duration.ofSeconds(1));
        runtime.supervise();                      // failing again: RESTARTING
    }

    @Test
    void aPluginFailingBeyondTheRestartLimitIsVotedIntoQuarantine() throws Exception {
        ControlledPlugin flaky = new ControlledPlugin("flaky");
        ControlledPlugin steady = new ControlledPlugin("steady");
        start(List.of(), Map.of("parliament", Map.of("max-restarts", 2)), new ParliamentPlugin(), flaky, steady);
        schedulers.get("parliament").step();   // the review at start
        assertThat(values("compliance_score")).containsExactly(1.0);

        failAndRestart(flaky, 2);
        assertThat(status("flaky").restarts()).isEqualTo(2);
        schedulers.get("parliament").step();
        assertThat(status("flaky").state()).as("within the limit: no proposal").isEqualTo(PluginState.RESTARTING);

        clock.advance(Duration.ofSeconds(1));
        runtime.supervise();                      // restart 3, still unhealthy
        clock.advance(Duration.ofSeconds(1));
        runtime.supervise();                      // RESTARTING after 3 restarts
        assertThat(status("flaky").restarts()).isEqualTo(3);
        schedulers.get("parliament").step();

        assertThat(status("flaky").state()).isEqualTo(PluginState.QUARANTINED);
        assertThat(status("flaky").cause()).startsWith("quarantined at the request of parliament: parliament passed quarantine:flaky")
                .contains("3 restarts, more than the limit of 2");
        assertThat(status("steady").state()).isEqualTo(PluginState.RUNNING);
        assertThat(values("vote_participation"))
                .as("max-restarts and must-be-running of the 3 quarantine voters; kpi-evidence had no data (beats is"
                        + " not health-bearing) and abstained").containsExactly(2.0 / 3);
        assertThat(values("approval_rate")).containsExactly(1.0);
        assertThat(values("decision_latency")).as("every voter answered at the review that opened it").containsExactly(0.0);
        assertThat(values("compliance_score")).as("flaky stopped complying once it was down (restarting)")
                .startsWith(1.0, 0.5).endsWith(0.5);
        assertThat(Files.readString(dir.resolve("data/plugins/parliament/decisions.jsonl")))
                .contains("\"key\":\"quarantine:flaky\"").contains("\"origin\":\"runtime\"")
                .contains("\"max-restarts\":\"YES\"").contains("\"outcome\":\"PASSED\",\"enacted\":true");

        schedulers.get("parliament").step();
        assertThat(values("approval_rate")).as("not proposed again").hasSize(1);
    }

    @Test
    void badConfigFailsParliamentWithItsCauseAndLeavesTheOthersRunning() {
        start(List.of(), Map.of("parliament", Map.of("max-restarts", -1)), new ParliamentPlugin(), new ControlledPlugin("steady"));
        assertThat(status("parliament").state()).isEqualTo(PluginState.FAILED);
        assertThat(status("parliament").cause()).contains("plugins.parliament.max-restarts must be a number of restarts, not negative, got \"-1\"");
        assertThat(status("steady").state()).isEqualTo(PluginState.RUNNING);
    }

    @Test
    void loadsAsAJarThroughTheRealRuntimeAndPublishesItsKpis() throws Exception {
        Path jars = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder().library(Path.of("target/classes"))
                .manifest("Grace-Plugin-Id", "parliament").manifest("Grace-Api-Range", "[0.1,1)")
                .build(jars.resolve("parliament.jar"));
        ControlledPlugin flaky = new ControlledPlugin("flaky");
        start(List.of(jars), Map.of("parliament", Map.of("max-restarts", 0, "interval", "5s")), flaky);
        assertThat(status("parliament").state()).isEqualTo(PluginState.RUNNING);
        assertThat(status("parliament").source()).endsWith("parliament.jar");
        schedulers.get("parliament").step();   // the review at start
        assertThat(values("compliance_score")).containsExactly(1.0);

        failAndRestart(flaky, 1);
        schedulers.get("parliament").step();
        assertThat(status("flaky").state()).isEqualTo(PluginState.QUARANTINED);
        assertThat(values("approval_rate")).containsExactly(1.0);
        assertThat(values("vote_participation")).containsExactly(2.0 / 3);
    }
}
