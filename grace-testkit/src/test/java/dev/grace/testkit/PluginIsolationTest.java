package dev.grace.testkit;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.grace.testkit.JarPlugins.plugin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Plugin jars under their own class loaders, checked and vetted before any of their code runs. */
class PluginIsolationTest {

    @TempDir
    Path dir;

    private Path library(String version) {
        return PluginJar.builder()
                .source("com.acme.lib.Version", """
                        package com.acme.lib;
                        public final class Version { public static int value() { return %s; } }
                        """.formatted(version))
                .build(dir.resolve("lib-" + version + ".jar"));
    }

    private GraceRuntime runtime(Path plugins, ClassLoader parent) {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of(plugins));
        return GraceRuntime.builder().config(config).classLoader(parent).discoverClasspath(false).supervise(false).build();
    }

    private static PluginStatus status(GraceRuntime runtime, String id) {
        return runtime.plugins().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private static double sum(GraceRuntime runtime, String domain) {
        return runtime.rollups().all().stream().filter(r -> r.domain().equals(domain))
                .mapToDouble(HourlyRollup::sum).sum();
    }

    @Test
    void twoPluginsBundlingDifferentVersionsOfOneLibraryEachSeeTheirOwnEvenWhenTheHostHasAThird() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder().library(library("1"))
                .source("com.a.Plugin", plugin("com.a", "alpha", "", "com.acme.lib.Version.value()", ""))
                .register("com.a.Plugin").build(plugins.resolve("alpha.jar"));
        PluginJar.builder().library(library("2"))
                .source("com.b.Plugin", plugin("com.b", "beta", "", "com.acme.lib.Version.value()", ""))
                .register("com.b.Plugin").build(plugins.resolve("beta.jar"));
        // The thread context loader on start is the plugin's own: 1 if so.
        PluginJar.builder()
                .source("com.c.Plugin", plugin("com.c", "gamma", "",
                        "Thread.currentThread().getContextClassLoader() == getClass().getClassLoader() ? 1 : 0", ""))
                .register("com.c.Plugin").build(plugins.resolve("gamma.jar"));

        try (URLClassLoader host = new URLClassLoader(new URL[] {library("3").toUri().toURL()},
                getClass().getClassLoader());
             GraceRuntime runtime = runtime(plugins, host).start()) {
            assertThat(runtime.plugins()).extracting(PluginStatus::state).containsOnly(PluginState.RUNNING);
            assertThat(sum(runtime, "alpha")).isEqualTo(1.0);
            assertThat(sum(runtime, "beta")).isEqualTo(2.0);
            assertThat(sum(runtime, "gamma")).isEqualTo(1.0);
            assertThat(status(runtime, "alpha").source()).isEqualTo(plugins.resolve("alpha.jar").toString());
        }
    }

    @Test
    void aPluginBundlingGraceApiWorksWithTheRuntimesCopyAndIsWarnedAbout() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder().library(JarPlugins.graceApi())
                .source("com.a.Plugin", plugin("com.a", "bundler", "",
                        "DomainPlugin.class.getClassLoader() == getClass().getClassLoader() ? 0 : 1", ""))
                .register("com.a.Plugin").build(plugins.resolve("bundler.jar"));

        try (GraceRuntime runtime = runtime(plugins, getClass().getClassLoader()).start()) {
            PluginStatus s = status(runtime, "bundler");
            assertThat(s.state()).isEqualTo(PluginState.RUNNING);
            assertThat(sum(runtime, "bundler")).as("DomainPlugin came from the parent").isEqualTo(1.0);
            assertThat(s.warnings()).singleElement().asString()
                    .contains("bundler.jar bundles dev.grace.api").contains("the runtime's copy is used instead");
        }
    }

    @Test
    void aPluginReferencingTheRuntimesInternalsIsRefusedBeforeItsCodeRunsAndItsJarIsClosed() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = PluginJar.builder()
                .source("com.a.Plugin", plugin("com.a", "sneaky", "", "1", """
                        static { System.setProperty("grace.test.sneaky.ran", "yes"); }
                        int peek() { return dev.grace.runtime.internal.discovery.VersionRange.parse("1").hashCode(); }
                        """))
                .register("com.a.Plugin")
                .manifest("Grace-Plugin-Id", "sneaky")
                .build(plugins.resolve("sneaky.jar"));

        try (GraceRuntime runtime = runtime(plugins, getClass().getClassLoader()).start()) {
            PluginStatus s = status(runtime, "sneaky");
            assertThat(s.state()).isEqualTo(PluginState.FAILED);
            assertThat(s.cause()).isEqualTo("refused: plugin sneaky references classes a plugin may not use: "
                    + "com.a.Plugin references dev.grace.runtime.internal.discovery.VersionRange"
                    + " (denied: dev.grace.runtime.internal)");
            assertThat(System.getProperty("grace.test.sneaky.ran")).isNull();
            assumeThat(JarPlugins.openDescriptors(jar)).isNotNegative();
            assertThat(JarPlugins.openDescriptors(jar)).isZero();
            Files.delete(jar);
        }
    }

    @Test
    void theDenyListIsConfigurable() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder()
                .source("com.a.Plugin", plugin("com.a", "clocky", "", "java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 2)", ""))
                .register("com.a.Plugin")
                .build(plugins.resolve("clocky.jar"));
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of(plugins))
                .withVetting(new GraceConfig.Vetting(List.of("java.util.concurrent.ThreadLocalRandom")));
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).discoverClasspath(false).build().start()) {
            assertThat(runtime.plugins()).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo("clocky.jar");
                assertThat(s.state()).isEqualTo(PluginState.FAILED);
                assertThat(s.cause()).contains("clocky.jar references classes a plugin may not use: com.a.Plugin"
                        + " references java.util.concurrent.ThreadLocalRandom");
            });
        }
    }

    @Test
    void anApiRangeInTheManifestIsCheckedBeforeInstantiation() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder()
                .source("com.a.Plugin", plugin("com.a", "future", ".apiRange(\"[7.0,8)\")", "1", """
                        static { System.setProperty("grace.test.future.ran", "yes"); }
                        """))
                .register("com.a.Plugin")
                .manifest("Grace-Plugin-Id", "future").manifest("Grace-Api-Range", "[7.0,8)")
                .build(plugins.resolve("future.jar"));

        try (GraceRuntime runtime = runtime(plugins, getClass().getClassLoader()).start()) {
            assertThat(status(runtime, "future").cause()).isEqualTo("refused: plugin future needs grace-api [7.0,8)"
                    + " but this runtime provides " + dev.grace.api.GraceApi.version());
            assertThat(System.getProperty("grace.test.future.ran")).isNull();
        }
    }

    @Test
    void aDeclarationThatContradictsTheManifestIsRefused() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder()
                .source("com.a.Plugin", plugin("com.a", "liar", ".requires(\"core\", \"[1.0,2)\")", "1", ""))
                .register("com.a.Plugin")
                .manifest("Grace-Plugin-Id", "liar").manifest("Grace-Requires", "core [1.0,3)")
                .build(plugins.resolve("liar.jar"));

        try (GraceRuntime runtime = runtime(plugins, getClass().getClassLoader()).start()) {
            assertThat(status(runtime, "liar").cause()).isEqualTo("plugin liar declares requires {core=[1.0,2)}"
                    + " but Grace-Requires says {core=[1.0,3)} in the manifest of liar.jar");
        }
    }

    @Test
    void aRefusedProviderDoesNotCloseTheLoaderOfAnotherPluginInTheSameJar() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = PluginJar.builder()
                .source("com.a.Helper", "package com.a; final class Helper { static int one() { return 1; } }")
                .source("com.a.Plugin", plugin("com.a", "first", "", "Helper.one()", ""))
                .source("com.b.Plugin", plugin("com.b", "second", ".apiRange(\"[9,10)\")", "1", ""))
                .register("com.a.Plugin").register("com.b.Plugin")
                .build(plugins.resolve("pair.jar"));

        try (GraceRuntime runtime = runtime(plugins, getClass().getClassLoader()).start()) {
            assertThat(status(runtime, "second").cause()).contains("needs grace-api [9,10)");
            assertThat(status(runtime, "first").state()).as("Helper loads after second's refusal").isEqualTo(PluginState.RUNNING);
            assertThat(sum(runtime, "first")).isEqualTo(1.0);
        }
        assumeThat(JarPlugins.openDescriptors(jar)).isNotNegative();
        assertThat(JarPlugins.openDescriptors(jar)).as("closed once both let go").isZero();
    }

    @Test
    void theJarOfAPluginThatFailedCanBeDeletedWhileTheRuntimeRuns() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = PluginJar.builder()
                .source("com.a.Plugin", plugin("com.a", "broken", "", "1", """
                        public Plugin() { throw new IllegalStateException("no database"); }
                        """))
                .register("com.a.Plugin")
                .build(plugins.resolve("broken.jar"));
        Path empty = PluginJar.builder().resource("readme.txt", "no plugin here").build(plugins.resolve("empty.jar"));

        try (GraceRuntime runtime = runtime(plugins, getClass().getClassLoader()).start()) {
            assertThat(runtime.plugins()).anySatisfy(s -> {
                assertThat(s.source()).isEqualTo(jar.toString());
                assertThat(s.cause()).startsWith("construction threw").contains("IllegalStateException: no database");
            });
            assertThat(runtime.plugins()).anySatisfy(s -> {
                assertThat(s.source()).isEqualTo(empty.toString());
                assertThat(s.cause()).contains("no META-INF/services/dev.grace.api.DomainPlugin entry in empty.jar");
            });
            assumeThat(JarPlugins.openDescriptors(jar)).isNotNegative();
            assertThat(JarPlugins.openDescriptors(jar)).isZero();
            assertThat(JarPlugins.openDescriptors(empty)).isZero();
            Files.delete(jar);
            Files.delete(empty);
        }
    }

    @Test
    void theContextClassLoaderIsThePluginsOnConstructionStartHealthAndScheduledTasks() {
        Path jar = PluginJar.builder()
                .source("com.a.Probe", """
                        package com.a;
                        import dev.grace.api.*;
                        import java.util.List;
                        import java.util.concurrent.TimeUnit;
                        public final class Probe implements DomainPlugin {
                            static final Kpi CONSTRUCTION = Kpi.builder("construction", Kpi.Unit.COUNT).build();
                            static final Kpi START = Kpi.builder("start", Kpi.Unit.COUNT).build();
                            static final Kpi TASK = Kpi.builder("task", Kpi.Unit.COUNT).build();
                            private final int built = own();
                            private int own() { return Thread.currentThread().getContextClassLoader() == getClass().getClassLoader() ? 1 : 0; }
                            public PluginInfo info() { return PluginInfo.builder("probe").domain("probe").build(); }
                            public List<Kpi> kpis() { return List.of(CONSTRUCTION, START, TASK); }
                            public void start(PluginContext c) {
                                c.publisher().record(CONSTRUCTION, built);
                                c.publisher().record(START, own());
                                c.scheduler().scheduleAtFixedRate(() -> c.publisher().record(TASK, own()), 1, 1, TimeUnit.SECONDS);
                            }
                            public PluginHealth health() { return own() == 1 ? PluginHealth.ok() : PluginHealth.unhealthy("wrong loader"); }
                        }
                        """)
                .register("com.a.Probe")
                .build(dir.resolve("probe.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).start()) {
            h.advance(Duration.ofSeconds(2));
            h.supervise();
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("construction")).containsExactly(1.0);
            assertThat(h.values("start")).containsExactly(1.0);
            assertThat(h.values("task")).containsExactly(1.0, 1.0);
        }
    }

    @Test
    void theHarnessLoadsAJarThroughTheRealLoader() throws Exception {
        Path jar = PluginJar.builder()
                .source("com.a.Plugin", plugin("com.a", "tally", "",
                        "getClass().getClassLoader().getName().equals(\"grace-plugin:tally.jar\") ? 1 : 0", ""))
                .register("com.a.Plugin")
                .manifest("Grace-Plugin-Id", "tally")
                .build(dir.resolve("tally.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).config("unused", "x").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("value")).containsExactly(1.0);
        }
    }
}
