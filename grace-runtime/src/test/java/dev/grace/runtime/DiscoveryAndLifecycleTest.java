package dev.grace.runtime;

import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryAndLifecycleTest {

    @TempDir
    Path dir;

    private GraceConfig config() {
        return GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of(dir.resolve("plugins")))
                .withLifecycle(new GraceConfig.Lifecycle(Duration.ofMillis(500), Duration.ofMillis(500)));
    }

    private static Map<String, PluginStatus> byId(GraceRuntime runtime) {
        return runtime.plugins().stream().collect(Collectors.toMap(PluginStatus::id, Function.identity(), (a, b) -> a));
    }

    @Test
    void eachBrokenPluginEndsInItsOwnStateWhileTheGoodOnesRun() {
        ClassLoader loader = TestPlugins.servicesLoader(dir.resolve("cp"),
                TestPlugins.Good.class.getName(),
                "com.example.DoesNotExist",
                TestPlugins.ThrowsInConstructor.class.getName(),
                TestPlugins.ThrowsInStart.class.getName(),
                TestPlugins.HangsInStart.class.getName(),
                TestPlugins.NeedsFutureApi.class.getName(),
                TestPlugins.SameIdAsGood.class.getName(),
                TestPlugins.SecondGood.class.getName());
        try (GraceRuntime runtime = GraceRuntime.builder().config(config()).classLoader(loader).build().start()) {
            List<PluginStatus> all = runtime.plugins();
            assertThat(all).hasSize(8);
            Map<String, PluginStatus> plugins = byId(runtime);

            assertThat(plugins.get("good").state()).isEqualTo(PluginState.RUNNING);
            assertThat(plugins.get("second").state()).isEqualTo(PluginState.RUNNING);

            assertThat(all).filteredOn(s -> s.state() == PluginState.FAILED && s.cause().contains("DoesNotExist"))
                    .as("a services entry naming a missing class").hasSize(1);
            assertThat(all).filteredOn(s -> s.provider().equals(TestPlugins.ThrowsInConstructor.class.getName()))
                    .singleElement().satisfies(s -> {
                        assertThat(s.state()).isEqualTo(PluginState.FAILED);
                        assertThat(s.cause()).contains("construction threw").contains("no database configured");
                    });
            assertThat(plugins.get("throws").state()).isEqualTo(PluginState.FAILED);
            assertThat(plugins.get("throws").cause())
                    .isEqualTo("start threw java.lang.IllegalArgumentException: missing input file /nowhere/data.csv");
            assertThat(plugins.get("hangs").state()).isEqualTo(PluginState.FAILED);
            assertThat(plugins.get("hangs").cause()).isEqualTo("start did not return within 500 ms");
            assertThat(plugins.get("future").state()).isEqualTo(PluginState.FAILED);
            assertThat(plugins.get("future").cause()).contains("plugin future needs grace-api [2.0,3.0)")
                    .contains("this runtime provides " + dev.grace.api.GraceApi.version());
            assertThat(all).filteredOn(s -> s.provider().equals(TestPlugins.SameIdAsGood.class.getName()))
                    .singleElement().satisfies(s -> {
                        assertThat(s.state()).isEqualTo(PluginState.FAILED);
                        assertThat(s.cause()).startsWith("duplicate plugin id 'good'")
                                .contains(TestPlugins.Good.class.getName());
                    });
        }
    }

    @Test
    void aKpiRedeclaredDifferentlyInOneDomainIsRefusedNamingBothDefinitions() {
        ClassLoader loader = TestPlugins.servicesLoader(dir.resolve("cp"),
                TestPlugins.Good.class.getName(), TestPlugins.RedeclaresLatency.class.getName());
        try (GraceRuntime runtime = GraceRuntime.builder().config(config()).classLoader(loader).build().start()) {
            PluginStatus refused = byId(runtime).get("redeclares");
            assertThat(refused.state()).isEqualTo(PluginState.FAILED);
            assertThat(refused.cause()).contains("KPI core/latency").contains("MILLISECONDS").contains("SECONDS");
            assertThat(byId(runtime).get("good").state()).isEqualTo(PluginState.RUNNING);
        }
    }

    @Test
    void pluginsReceiveTheirPublisherAndClockByInjectionOnTheirOwnLoader() {
        TestPlugins.Injected plugin = new TestPlugins.Injected();
        try (GraceRuntime runtime = GraceRuntime.builder().config(config()).discoverClasspath(false).plugin(plugin)
                .build().start()) {
            assertThat(byId(runtime).get("injected").state()).isEqualTo(PluginState.RUNNING);
            assertThat(plugin.clock).isSameAs(runtime.clock());
            assertThat(plugin.contextLoaderInStart).isSameAs(TestPlugins.Injected.class.getClassLoader());
            assertThat(runtime.stats().accepted("injected")).isEqualTo(1);
        }
    }

    @Test
    void aPluginThatHangsOrThrowsInStopEndsFailedAndTheOthersStopCleanly() {
        TestPlugins.Good good = new TestPlugins.Good();
        GraceRuntime runtime = GraceRuntime.builder().config(config()).discoverClasspath(false)
                .plugin(new TestPlugins.HangsInStop()).plugin(good).plugin(new TestPlugins.ThrowsInStop()).build().start();
        long t0 = System.nanoTime();
        runtime.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("close waits at most the stop timeout per plugin").isLessThan(5_000);
        Map<String, PluginStatus> plugins = byId(runtime);
        assertThat(plugins.get("hangs-in-stop").state()).isEqualTo(PluginState.FAILED);
        assertThat(plugins.get("hangs-in-stop").cause()).isEqualTo("stop did not return within 500 ms");
        assertThat(plugins.get("throws-in-stop").cause())
                .isEqualTo("stop threw java.lang.IllegalStateException: could not flush its cache");
        assertThat(plugins.get("good").state()).isEqualTo(PluginState.STOPPED);
        assertThat(good.publisher().record(TestPlugins.LATENCY, 1)).as("nothing is accepted after close").isFalse();
    }

    @Test
    void closeStopsPluginsAndIsIdempotent() {
        TestPlugins.Good plugin = new TestPlugins.Good();
        GraceRuntime runtime = GraceRuntime.builder().config(config()).discoverClasspath(false).plugin(plugin).build()
                .start();
        runtime.close();
        runtime.close();
        assertThat(runtime.plugins()).singleElement().extracting(PluginStatus::state).isEqualTo(PluginState.STOPPED);
    }

    @Test
    void discoverListsPluginsWithoutStartingThem() {
        TestPlugins.Good plugin = new TestPlugins.Good();
        try (GraceRuntime runtime = GraceRuntime.builder().config(config()).discoverClasspath(false).plugin(plugin)
                .build().discover()) {
            assertThat(runtime.plugins()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(PluginState.DISCOVERED);
                assertThat(s.source()).isEqualTo("host");
                assertThat(s.kpis()).containsExactly(TestPlugins.LATENCY, TestPlugins.SUCCESS);
            });
            assertThat(plugin.context).isNull();
        }
    }
}
