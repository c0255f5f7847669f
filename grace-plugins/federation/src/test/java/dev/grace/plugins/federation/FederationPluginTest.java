package dev.grace.plugins.federation;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.testkit.ManualClock;
import dev.grace.testkit.PluginHarness;
import dev.grace.testkit.PluginJar;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FederationPluginTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private LoopbackServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path file(String name, Duration age) throws Exception {
        Path f = Files.writeString(dir.resolve(name), "secret");
        Files.setLastModifiedTime(f, FileTime.from(T0.minus(age)));
        return f;
    }

    @Test
    void callsItsConnectorsEachRoundAndTheBreakerOpensAndClosesWithTheService() throws Exception {
        server = new LoopbackServer();
        try (PluginHarness h = PluginHarness.forPlugin(new FederationPlugin()).dataDirectory(dir.resolve("data"))
                .config("interval", "10s").config("retries", "1").config("backoff", "0ms")
                .config("failureThreshold", "2").config("coolDown", "30s")
                .config("connectors", List.of("name=svc url=" + server.health())).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("api_success")).containsExactly(1.0);
            assertThat(h.values("connector_health")).containsExactly(1.0);
            assertThat(h.values("latency")).singleElement().satisfies(l -> assertThat(l).isPositive().isLessThan(2.0));

            server.otherwise(503);
            h.advance(Duration.ofSeconds(20));          // two failed calls, two attempts each: the breaker opens
            assertThat(h.values("api_success")).containsExactly(1.0, 0.0, 0.0);
            assertThat(h.values("connector_health")).containsExactly(1.0, 1.0, 0.0);
            assertThat(server.requests()).isEqualTo(1 + 4);

            h.advance(Duration.ofSeconds(20));          // refused at 30 s; 40 s is 20 s into the cool-down
            assertThat(server.requests()).as("nothing sent while open").isEqualTo(5);
            assertThat(h.values("api_success")).endsWith(0.0, 0.0);

            server.otherwise(200);
            h.advance(Duration.ofSeconds(10));          // 50 s: the cool-down from 20 s has passed; the trial succeeds
            assertThat(h.last("api_success")).hasValue(1.0);
            assertThat(h.last("connector_health")).hasValue(1.0);
            assertThat(h.values("latency")).hasSize(2);
            assertThat(h.rejected()).isEmpty();
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void connectorsAndCredentialsMayBeWrittenAsMapsOfFields() throws Exception {
        server = new LoopbackServer();
        Path fresh = file("fresh", Duration.ofDays(2));
        try (PluginHarness h = PluginHarness.forPlugin(new FederationPlugin()).dataDirectory(dir.resolve("data"))
                .config("connectors", List.of(Map.of("name", "svc", "url", server.health(), "timeout", "2s")))
                .config("credentials", List.of(Map.of("name", "db", "file", fresh.toString(), "maxAge", "1d")))
                .start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("api_success")).containsExactly(1.0);
            assertThat(h.values("secret_rotation")).containsExactly(0.0); // two days old, allowed one
        }
    }

    @Test
    void latencyIsKeptPerConnectorAndTheTotalHoldsEverySuccessfulCall() throws Exception {
        server = new LoopbackServer();
        try (PluginHarness h = PluginHarness.forPlugin(new FederationPlugin()).dataDirectory(dir.resolve("data"))
                .config("interval", "10s").config("retries", "0")
                .config("connectors", List.of("name=billing url=" + server.health(),
                        "name=crm url=" + server.health(), "name=down url=http://127.0.0.1:1/health timeout=200ms"))
                .start()) {
            h.advance(Duration.ofSeconds(10));
            assertThat(h.values("latency", Map.of("connector", "billing"))).hasSize(2)
                    .allSatisfy(l -> assertThat(l).isPositive().isLessThan(2.0));
            assertThat(h.values("latency", Map.of("connector", "crm"))).hasSize(2);
            assertThat(h.values("latency", Map.of("connector", "down"))).as("no successful call, no latency").isEmpty();
            assertThat(h.series("latency")).extracting(r -> r.series() + " " + r.count())
                    .containsExactly("connector=billing 2", "connector=crm 2");
            assertThat(h.currentHour("latency")).hasValueSatisfying(total -> {
                assertThat(total.count()).isEqualTo(4);
                double sum = h.values("latency").stream().mapToDouble(Double::doubleValue).sum();
                assertThat(total.sum()).isCloseTo(sum, org.assertj.core.api.Assertions.within(1e-12));
            });
            assertThat(h.rejected()).isEmpty();
            assertThat(h.stats().seriesOverflow("federation")).isZero();
        }
    }

    @Test
    void secretRotationIsTheShareOfCredentialsYoungerThanTheirMaxAge() throws Exception {
        Path fresh = file("fresh", Duration.ofDays(2));
        Path old = file("old", Duration.ofDays(40));
        try (PluginHarness h = PluginHarness.forPlugin(new FederationPlugin()).dataDirectory(dir.resolve("data"))
                .config("credentials", List.of("name=fresh file=" + fresh, "name=old file=" + old,
                        "name=weekly file=" + fresh + " maxAge=1d"))
                .start()) {
            assertThat(h.values("secret_rotation")).containsExactly(1.0 / 3);
            assertThat(h.values("api_success")).as("no connectors: nothing called, nothing published").isEmpty();
            Files.setLastModifiedTime(old, FileTime.from(T0));
            h.advance(Duration.ofSeconds(5));
            assertThat(h.last("secret_rotation")).hasValue(2.0 / 3);
        }
    }

    @Test
    void withoutCredentialsConfiguredItWatchesTheAdminTokenOfTheRuntimesDataDirectory() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (PluginHarness h = PluginHarness.forPlugin(new FederationPlugin()).dataDirectory(data).start()) {
            assertThat(h.values("secret_rotation")).as("no token yet").isEmpty();
            Files.setLastModifiedTime(Files.writeString(data.resolve("admin-token"), "t"),
                    FileTime.from(T0.minus(Duration.ofDays(31))));
            h.advance(Duration.ofSeconds(5));
            assertThat(h.values("secret_rotation")).containsExactly(0.0);   // older than the default 30d
        }
    }

    @Test
    void badConfigFailsThePluginWithTheKeyAndWhatWasWrong() {
        assertThat(cause("connectors", List.of("name=a url=http//missing-colon/health")))
                .isEqualTo("start threw java.lang.IllegalArgumentException: plugins.federation.connectors[0] field url"
                        + " must be an http or https URL, got \"http//missing-colon/health\"");
        assertThat(cause("connectors", List.of("name=a url=http://grace-no-such-host.invalid/health")))
                .isEqualTo("start threw java.lang.IllegalArgumentException: plugins.federation.connectors[0] field url:"
                        + " host grace-no-such-host.invalid cannot be resolved (http://grace-no-such-host.invalid/health)");
        assertThat(cause("connectors", List.of(Map.of("name", "a", "url", "http://127.0.0.1/", "timout", "2s"))))
                .isEqualTo("start threw java.lang.IllegalArgumentException: plugins.federation.connectors[0]:"
                        + " unknown field \"timout\" (known: name, url, timeout, retries, backoff, failureThreshold, coolDown)");
        assertThat(cause("connectors", List.of(Map.of("name", "a"), "name=b url=http://127.0.0.1/")))
                .contains("plugins.federation.connectors[1] must be a map of fields")
                .endsWith("; write each item as a map of fields, or as one string of key=value fields, for example"
                        + " \"name=billing url=https://billing.example/health timeout=2s retries=2\"");
        assertThat(cause("credentials", List.of("name=db file=" + dir.resolve("absent"))))
                .isEqualTo("start threw java.lang.IllegalArgumentException: plugins.federation.credentials[0]:"
                        + " field file names no file: " + dir.resolve("absent"));
        assertThat(cause("connectors", List.of("name=" + "x".repeat(65) + " url=http://127.0.0.1/")))
                .isEqualTo("start threw java.lang.IllegalArgumentException: plugins.federation.connectors[0]:"
                        + " connector name is longer than 64 characters (it names the connector's latency series)");
        assertThat(cause("timeout", "0s"))
                .isEqualTo("start threw java.lang.IllegalArgumentException: plugins.federation.timeout must be positive, got PT0S");
    }

    private String cause(String key, Object value) {
        try (PluginHarness h = PluginHarness.forPlugin(new FederationPlugin()).dataDirectory(dir.resolve("data"))
                .config(key, value).start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            return h.status().cause();
        }
    }

    @Test
    void aFailedFederationPluginLeavesTheOthersRunning() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withPlugins(Map.of("federation", Map.of("connectors", List.of("name=a url=not a url"))))
                .withStore(GraceConfig.Store.defaults().withEnabled(false));
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(ManualClock.at(T0))
                .discoverClasspath(false).supervise(false)
                .plugin(new FederationPlugin()).plugin(new Bystander()).build().start()) {
            assertThat(runtime.plugins()).extracting(PluginStatus::id, PluginStatus::state).containsExactly(
                    Tuple.tuple("federation", PluginState.FAILED), Tuple.tuple("bystander", PluginState.RUNNING));
            assertThat(runtime.plugins().get(0).cause()).contains("plugins.federation.connectors[0]");
        }
    }

    @Test
    void loadsAsAJarThroughTheRealRuntimeAndPublishesItsKpis() throws Exception {
        server = new LoopbackServer();
        Path jar = PluginJar.builder().library(Path.of("target/classes"))
                .manifest("Grace-Plugin-Id", "federation").manifest("Grace-Api-Range", "[0.1,1)")
                .build(dir.resolve("jar/federation.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).dataDirectory(dir.resolve("data"))
                .config("connectors", "name=svc url=" + server.health()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.status().source()).endsWith("federation.jar");
            assertThat(h.values("api_success")).containsExactly(1.0);
            assertThat(h.values("connector_health")).containsExactly(1.0);
            assertThat(h.values("latency")).hasSize(1);
        }
    }

    /** Another plugin, to show that federation failing touches nothing else. */
    static final class Bystander implements DomainPlugin {
        @Override
        public PluginInfo info() {
            return PluginInfo.builder("bystander").domain("bystander").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(Kpi.builder("ticks", Kpi.Unit.COUNT).build());
        }

        @Override
        public void start(PluginContext context) {
        }
    }
}
