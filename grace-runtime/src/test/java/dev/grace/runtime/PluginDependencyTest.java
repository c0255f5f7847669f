package dev.grace.runtime;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.discovery.PluginManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plugins that require other plugins: resolved before anything starts, started in order, failures cascaded. */
class PluginDependencyTest {

    @TempDir
    Path dir;

    private final List<String> started = Collections.synchronizedList(new ArrayList<>());

    private final class Dep implements DomainPlugin {
        private final PluginInfo info;
        private final boolean failStart;

        Dep(String id, String version, UnaryOperator<PluginInfo.Builder> requires, boolean failStart) {
            this.info = requires.apply(PluginInfo.builder(id).domain("deps").version(version)).build();
            this.failStart = failStart;
        }

        @Override
        public PluginInfo info() {
            return info;
        }

        @Override
        public List<Kpi> kpis() {
            return List.of();
        }

        @Override
        public void start(PluginContext context) {
            if (failStart) {
                throw new IllegalStateException("cannot reach the queue");
            }
            started.add(info.id());
        }
    }

    private Dep dep(String id, UnaryOperator<PluginInfo.Builder> requires) {
        return new Dep(id, "1.0.0", requires, false);
    }

    private GraceRuntime runtime(DomainPlugin... plugins) {
        GraceRuntime.Builder b = GraceRuntime.builder().config(GraceConfig.defaults().withDataDir(dir)
                .withPluginsDirs(List.of())).discoverClasspath(false).supervise(false);
        for (DomainPlugin p : plugins) {
            b.plugin(p);
        }
        return b.build();
    }

    private static Map<String, PluginStatus> byId(GraceRuntime runtime) {
        Map<String, PluginStatus> out = new java.util.LinkedHashMap<>();
        runtime.plugins().forEach(p -> out.put(p.id(), p));
        return out;
    }

    @Test
    void dependenciesStartFirstWhateverTheDiscoveryOrder() {
        try (GraceRuntime runtime = runtime(
                dep("report", b -> b.requires("store", "[1.0,2)").requires("auth")),
                dep("store", b -> b.requires("auth")),
                dep("auth", b -> b),
                dep("lone", b -> b)).start()) {
            assertThat(runtime.plugins()).extracting(PluginStatus::state).containsOnly(PluginState.RUNNING);
            // independent plugins start in parallel: only dependencies before dependants is promised
            assertThat(started).containsExactlyInAnyOrder("auth", "store", "report", "lone");
            assertThat(started.stream().filter(id -> !id.equals("lone")).toList())
                    .containsExactly("auth", "store", "report");
        }
    }

    @Test
    void aCycleAndAMissingDependencyFailOnlyThePluginsConcernedWithCascadedReasons() {
        try (GraceRuntime runtime = runtime(
                dep("a", b -> b.requires("b")),
                dep("b", b -> b.requires("a")),
                dep("c", b -> b.requires("zzz", "[1,2)")),
                dep("d", b -> b.requires("c")),
                dep("e", b -> b.requires("d")),
                dep("f", b -> b.requires("a")),
                dep("old", b -> b.requires("g", "[2.0,3)")),
                dep("g", b -> b),
                dep("h", b -> b)).start()) {
            Map<String, PluginStatus> s = byId(runtime);
            assertThat(s.get("a").cause()).isEqualTo("plugin a dependency cycle: a -> b -> a");
            assertThat(s.get("b").cause()).isEqualTo("plugin b dependency cycle: a -> b -> a");
            assertThat(s.get("c").cause()).isEqualTo("plugin c requires plugin zzz, which is not present");
            assertThat(s.get("d").cause()).isEqualTo("plugin d requires c, which failed: requires plugin zzz, which is not present");
            assertThat(s.get("e").cause()).isEqualTo("plugin e requires d, which failed: requires c, which failed:"
                    + " requires plugin zzz, which is not present");
            assertThat(s.get("f").cause()).isEqualTo("plugin f requires a, which failed: dependency cycle: a -> b -> a");
            assertThat(s.get("old").cause()).isEqualTo("plugin old requires g [2.0,3) but g is version 1.0.0");
            assertThat(List.of("a", "b", "c", "d", "e", "f", "old")).allSatisfy(
                    id -> assertThat(s.get(id).state()).isEqualTo(PluginState.FAILED));
            assertThat(s.get("g").state()).isEqualTo(PluginState.RUNNING);
            assertThat(s.get("h").state()).isEqualTo(PluginState.RUNNING);
            assertThat(started).containsExactlyInAnyOrder("g", "h");
        }
    }

    /** A plugin whose start returns only when {@code release} opens: after the start timeout. */
    private static final class Hung implements DomainPlugin {
        private final java.util.concurrent.CountDownLatch release;

        Hung(java.util.concurrent.CountDownLatch release) {
            this.release = release;
        }

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("hung").domain("deps").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of();
        }

        @Override
        public void start(PluginContext context) throws Exception {
            release.await();
        }
    }

    /** Remembers when its start was called, by the nanosecond clock of this JVM. */
    private static final class Timed implements DomainPlugin {
        private final String id;
        private volatile long startedAt;

        Timed(String id) {
            this.id = id;
        }

        @Override
        public PluginInfo info() {
            return PluginInfo.builder(id).domain("deps").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of();
        }

        @Override
        public void start(PluginContext context) {
            startedAt = System.nanoTime();
        }
    }

    @Test
    void aHungStartDelaysOnlyItsDependantsAndIndependentPluginsStartMeanwhile() throws Exception {
        java.time.Duration timeout = java.time.Duration.ofSeconds(3);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Timed> independent = List.of(new Timed("alpha"), new Timed("beta"), new Timed("gamma"));
        GraceRuntime.Builder b = GraceRuntime.builder().config(GraceConfig.defaults().withDataDir(dir)
                        .withPluginsDirs(List.of()).withLifecycle(new GraceConfig.Lifecycle(timeout, timeout)))
                .discoverClasspath(false).supervise(false)
                .plugin(new Hung(release)) // first in discovery order: the sequential start began with it
                .plugin(dep("waiter", r -> r.requires("hung")));
        independent.forEach(b::plugin);
        GraceRuntime runtime = b.build();
        try (runtime) {
            long before = System.nanoTime();
            runtime.start();
            Map<String, PluginStatus> s = byId(runtime);
            for (Timed t : independent) {
                assertThat(s.get(t.id).state()).isEqualTo(PluginState.RUNNING);
                // begun while the hung start was still within its timeout, not after it
                assertThat(t.startedAt - before).as(t.id).isPositive().isLessThan(timeout.toNanos() / 2);
            }
            assertThat(s.get("hung").cause()).isEqualTo("start did not return within 3000 ms");
            assertThat(s.get("waiter").cause()).isEqualTo("plugin waiter requires hung, which failed: start did not"
                    + " return within 3000 ms");
            assertThat(started).doesNotContain("waiter");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aDependencyThatFailsToStartFailsItsDependantsWithItsCause() {
        try (GraceRuntime runtime = runtime(
                dep("report", b -> b.requires("queue")),
                new Dep("queue", "1.0.0", b -> b, true),
                dep("other", b -> b)).start()) {
            Map<String, PluginStatus> s = byId(runtime);
            assertThat(s.get("queue").cause()).isEqualTo("start threw java.lang.IllegalStateException: cannot reach the queue");
            assertThat(s.get("report").cause()).isEqualTo("plugin report requires queue, which failed: start threw"
                    + " java.lang.IllegalStateException: cannot reach the queue");
            assertThat(s.get("other").state()).isEqualTo(PluginState.RUNNING);
        }
    }

    @Test
    void aDependencyRefusedForItsApiRangeCascadesItsRefusal() {
        try (GraceRuntime runtime = runtime(dep("auth", b -> b.apiRange("[9,10)")), dep("user", b -> b.requires("auth")))
                .start()) {
            assertThat(byId(runtime).get("user").cause()).isEqualTo("plugin user requires auth, which failed: plugin auth"
                    + " needs grace-api [9,10) but this runtime provides " + dev.grace.api.GraceApi.version());
        }
    }

    @Test
    void manifestRequiresInAManifestListsIdsEachWithAnOptionalRange() {
        assertThat(PluginManifest.parseRequires("core [1.0,2.0), other, third (,3]"))
                .containsExactly(Map.entry("core", "[1.0,2.0)"), Map.entry("other", ""), Map.entry("third", "(,3]"));
        assertThat(PluginManifest.parseRequires("")).isEmpty();
        assertThatThrownBy(() -> PluginManifest.parseRequires("core [1.0,2.0"))
                .hasMessage("Grace-Requires: unclosed version range for core in \"core [1.0,2.0\"");
    }
}
