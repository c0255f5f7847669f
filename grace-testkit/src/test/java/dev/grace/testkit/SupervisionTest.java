package dev.grace.testkit;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginHealth;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.RuntimeEvents;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.grace.testkit.JarPlugins.plugin;
import static org.assertj.core.api.Assertions.assertThat;

/** Restart with exponential backoff, then quarantine, all under a manual clock and explicit supervision ticks. */
class SupervisionTest {

    @TempDir
    Path dir;

    /** Two restarts per hour, backoff 1s doubling up to 3s; each wait jittered in [half, all] of that. */
    private static final GraceConfig.Supervision TWO_RESTARTS = new GraceConfig.Supervision(
            Duration.ofSeconds(10), 2, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(3));

    /** Healthy until told otherwise; a periodic task that throws while {@code broken}. */
    static final class Flaky implements DomainPlugin {
        static final Kpi TICKS = Kpi.builder("ticks", Kpi.Unit.COUNT).build();
        volatile String sickness;
        volatile boolean broken;
        volatile boolean refuseToStart;
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("flaky").domain("ops").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(TICKS);
        }

        @Override
        public void start(PluginContext c) {
            starts.incrementAndGet();
            if (refuseToStart) {
                throw new IllegalStateException("port in use");
            }
            c.scheduler().scheduleAtFixedRate(() -> {
                if (broken) {
                    throw new IllegalStateException("disk full");
                }
                c.publisher().record(TICKS, 1);
            }, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }

        @Override
        public PluginHealth health() {
            String s = sickness;
            return s == null ? PluginHealth.ok() : PluginHealth.unhealthy(s);
        }
    }

    /** Records healing actions, as the store's audit log will. */
    static final class Audit implements RuntimeEvents {
        final List<String> entries = new ArrayList<>();

        @Override
        public void pluginRestarted(String plugin, int restart, String reason) {
            entries.add("restart " + restart + " of " + plugin + ": " + reason);
        }

        @Override
        public void pluginQuarantined(String plugin, String reason) {
            entries.add("quarantine " + plugin + ": " + reason);
        }
    }

    @Test
    void anUnhealthyPluginIsRestartedWithDoublingBackoffThenQuarantined() {
        Flaky flaky = new Flaky();
        Audit audit = new Audit();
        try (PluginHarness h = PluginHarness.forPlugin(flaky).supervision(TWO_RESTARTS).events(audit).start()) {
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);

            flaky.sickness = "lost its connection";
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RESTARTING);
            assertThat(h.status().cause()).isEqualTo("unhealthy: lost its connection");
            assertThat(flaky.stops).hasValue(1);

            flaky.sickness = null;
            h.advance(Duration.ofMillis(499));
            h.supervise();
            assertThat(h.state()).as("not even half the jittered 1s backoff over").isEqualTo(PluginState.RESTARTING);
            h.advance(Duration.ofMillis(501));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(flaky.starts).hasValue(2);
            assertThat(h.restarts()).isEqualTo(1);

            flaky.sickness = "lost it again";
            h.supervise();
            flaky.sickness = null;
            h.advance(Duration.ofMillis(999));
            h.supervise();
            assertThat(h.state()).as("not even half the jittered 2s backoff over, so it doubled")
                    .isEqualTo(PluginState.RESTARTING);
            h.advance(Duration.ofMillis(1001));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.restarts()).isEqualTo(2);

            flaky.sickness = "gone for good";
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.QUARANTINED);
            assertThat(h.status().cause()).isEqualTo(
                    "quarantined after 2 restarts within PT1H; last failure: unhealthy: gone for good");
            h.advance(Duration.ofMinutes(10));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.QUARANTINED);
            assertThat(flaky.starts).hasValue(3);
            assertThat(audit.entries).containsExactly(
                    "restart 1 of flaky: unhealthy: lost its connection",
                    "restart 2 of flaky: unhealthy: lost it again",
                    "quarantine flaky: quarantined after 2 restarts within PT1H; last failure: unhealthy: gone for good");
        }
    }

    @Test
    void aScheduledTaskThatThrowsRestartsThePluginAndItsRollupsCarryOn() {
        Flaky flaky = new Flaky();
        try (PluginHarness h = PluginHarness.forPlugin(flaky).supervision(TWO_RESTARTS).start()) {
            h.advance(Duration.ofSeconds(2));
            assertThat(h.values("ticks")).hasSize(2);

            flaky.broken = true;
            h.advance(Duration.ofSeconds(1));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RESTARTING);
            assertThat(h.status().cause()).isEqualTo("1 scheduled task threw");

            flaky.broken = false;
            h.advance(Duration.ofSeconds(1));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            h.advance(Duration.ofSeconds(3));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("ticks")).hasSize(5);
            assertThat(h.currentHour("ticks")).hasValueSatisfying(r -> assertThat(r.count()).isEqualTo(5));
        }
    }

    @Test
    void aRestartThatFailsToStartBacksOffLongerAndTriesAgain() {
        Flaky flaky = new Flaky();
        try (PluginHarness h = PluginHarness.forPlugin(flaky).supervision(TWO_RESTARTS).start()) {
            flaky.sickness = "stuck";
            h.supervise();
            flaky.sickness = null;
            flaky.refuseToStart = true;
            h.advance(Duration.ofSeconds(1));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RESTARTING);
            assertThat(h.status().cause()).isEqualTo("restart failed: start threw java.lang.IllegalStateException: port in use");

            flaky.refuseToStart = false;
            h.advance(Duration.ofMillis(999));
            h.supervise();
            assertThat(h.state()).as("not even half the jittered 2s backoff over").isEqualTo(PluginState.RESTARTING);
            h.advance(Duration.ofMillis(1001));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.restarts()).isEqualTo(2);
            assertThat(flaky.starts).hasValue(3);
        }
    }

    @Test
    void restartsOutsideTheWindowNoLongerCount() {
        Flaky flaky = new Flaky();
        GraceConfig.Supervision oneAMinute = new GraceConfig.Supervision(
                Duration.ofSeconds(10), 1, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (PluginHarness h = PluginHarness.forPlugin(flaky).supervision(oneAMinute).start()) {
            for (int i = 1; i <= 3; i++) {
                flaky.sickness = "hiccup " + i;
                h.supervise();
                flaky.sickness = null;
                h.advance(Duration.ofSeconds(1));
                h.supervise();
                assertThat(h.state()).isEqualTo(PluginState.RUNNING);
                h.advance(Duration.ofMinutes(2));
            }
            assertThat(h.restarts()).isEqualTo(3);
        }
    }

    @Test
    void aJarPluginIsRestartedAsANewInstanceFromItsOwnLoader() {
        Path jar = PluginJar.builder()
                .source("com.a.Plugin", plugin("com.a", "counted", "", "INSTANCES.get()", """
                        static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();
                        public Plugin() { INSTANCES.incrementAndGet(); }
                        public PluginHealth health() {
                            return System.getProperty("grace.test.counted.sick") == null ? PluginHealth.ok()
                                    : PluginHealth.unhealthy(Thread.currentThread().getContextClassLoader().getName());
                        }
                        """))
                .register("com.a.Plugin")
                .build(dir.resolve("counted.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).supervision(TWO_RESTARTS).start()) {
            System.setProperty("grace.test.counted.sick", "yes");
            try {
                h.supervise();
            } finally {
                System.clearProperty("grace.test.counted.sick");
            }
            assertThat(h.status().cause()).isEqualTo("unhealthy: grace-plugin:counted.jar");
            h.advance(Duration.ofSeconds(1));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("value")).containsExactly(1.0, 2.0);
        }
    }
}
