package dev.grace.admin;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.Rollups;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.KpiReading;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import dev.grace.admin.internal.AdminBackend;
import dev.grace.admin.internal.AdminServer;
import dev.grace.runtime.extension.DomainPublishing;
import dev.grace.runtime.store.RollupQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON shape of the cognition endpoints. Cognition itself is built elsewhere; here a reader
 * that returns fixed records stands in for it, and everything else is a real runtime.
 */
class AdminCognitionApiTest {

    static final Instant HOUR = Instant.parse("2024-05-01T10:00:00Z");

    static final KpiFlag FLAG = new KpiFlag("core", "success", "constant", "all 240 values 0.8 over 24 hours",

            Instant.parse("2024-05-01T09:00:00Z"));
    static final Scores OVERALL = new Scores(0.82, 0.9, 0.75);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T10:15:00Z"));
    private GraceRuntime runtime;
    private AdminServer server;
    private AdminClient client;
    private final FixedCognition cognition = new FixedCognition();

    @BeforeEach
    void start() {
        runtime = GraceRuntime.builder().config(GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                        .withStore(GraceConfig.Store.defaults().withEnabled(false)))
                .clock(clock).discoverClasspath(false).plugin(new TestPlugins.Good()).supervise(false).build().start();
        server = AdminServer.start(new HttpConfig(true, "127.0.0.1:0", "t"), dir, new Backend());
        client = new AdminClient(server.address());
    }

    @AfterEach
    void stop() {
        server.close();
        runtime.close();
    }

    @Test
    void statusHasTheHourTheOverallScoresAndEveryDomainWithItsKpis() {
        JsonNode json = ok("/api/cognition/status");
        assertThat(json.get("hour").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(json.get("open").asBoolean()).isTrue();
        assertThat(json.get("overall").get("health").asDouble()).isEqualTo(0.82);
        assertThat(json.get("overall").get("trust").asDouble()).isEqualTo(0.9);
        assertThat(json.get("overall").get("confidence").asDouble()).isEqualTo(0.75);
        JsonNode core = json.get("domains").get(0);
        assertThat(core.get("domain").asText()).isEqualTo("core");
        assertThat(core.get("trend").asDouble()).isEqualTo(0.05);
        assertThat(core.get("flags").get(0).get("flag").asText()).isEqualTo("constant");
        assertThat(core.get("flags").get(0).get("since").asText()).isEqualTo("2024-05-01T09:00:00Z");
        assertThat(json.get("domains").get(1).get("flags")).isEmpty();
        assertThat(core.get("alerts").asInt()).isEqualTo(1);
        JsonNode kpi = core.get("kpis").get(0);
        assertThat(kpi.get("kpi").asText()).isEqualTo("success");
        assertThat(kpi.get("unit").asText()).isEqualTo("RATIO");
        assertThat(kpi.get("healthBearing").asBoolean()).isTrue();
        assertThat(kpi.get("count").asLong()).isEqualTo(12);
        assertThat(kpi.get("mean").asDouble()).isEqualTo(0.8);
        assertThat(kpi.get("normalised").asDouble()).isEqualTo(0.8);
        JsonNode plugin = json.get("plugins").get(0);
        assertThat(plugin.get("id").asText()).isEqualTo(runtime.plugins().get(0).id());
        assertThat(plugin.get("state").asText()).isEqualTo("RUNNING");
        assertThat(plugin.get("cause").isNull()).isTrue();
        assertThat(json.get("plugins")).hasSize(runtime.plugins().size());
        JsonNode gap = json.get("domains").get(1);
        assertThat(gap.get("scores").get("health").isNull()).as("a gap is null, not 0").isTrue();
        assertThat(gap.get("trend").isNull()).isTrue();

        JsonNode past = ok("/api/cognition/status?hour=2024-05-01T08:00:00Z");
        assertThat(past.get("hour").asText()).isEqualTo("2024-05-01T08:00:00Z");
        assertThat(past.get("open").asBoolean()).isFalse();
        assertThat(client.get("/api/cognition/status?hour=8am").json().get("parameter").asText()).isEqualTo("hour");
    }

    @Test
    void readinessHasEveryBenchmarkWithItsSustainedStateAndTheNextSteps() {
        JsonNode json = ok("/api/cognition/readiness");
        assertThat(json.get("hour").asText()).isEqualTo("2024-05-01T09:00:00Z");
        assertThat(json.get("elevationReady").asBoolean()).isFalse();
        assertThat(json.get("nextSteps").get(0).asText()).isEqualTo("raise core.health above 0.8");
        assertThat(json.get("flags").get(0).get("kpi").asText()).isEqualTo("success");
        assertThat(json.get("flags").get(0).get("detail").asText()).contains("240 values");
        JsonNode b = json.get("benchmarks").get(0);
        assertThat(b.get("name").asText()).isEqualTo("overall_health");
        assertThat(b.get("metric").asText()).isEqualTo("overall.health");
        assertThat(b.get("threshold").asDouble()).isEqualTo(0.8);
        assertThat(b.get("direction").asText()).isEqualTo("at_least");
        assertThat(b.get("windowHours").asInt()).isEqualTo(168);
        assertThat(b.get("minSamples").asInt()).isEqualTo(120);
        assertThat(b.get("samples").asInt()).isEqualTo(30);
        assertThat(b.get("state").asText()).isEqualTo("met");
        assertThat(b.get("missing").asText()).isEqualTo("138 more hours at or above 0.8");
    }

    @Test
    void benchmarkHistoryIsOneRowPerHourSinceTheGivenTime() {
        JsonNode json = ok("/api/cognition/benchmark/overall.health?since=2h");
        assertThat(json.get("metric").asText()).isEqualTo("overall.health");
        assertThat(json.get("since").asText()).isEqualTo("2024-05-01T08:15:00Z");
        assertThat(json.get("history")).hasSize(2);
        assertThat(json.get("history").get(0).get("hour").asText()).isEqualTo("2024-05-01T09:00:00Z");
        assertThat(cognition.lastSince).isEqualTo(Instant.parse("2024-05-01T08:15:00Z"));

        ok("/api/cognition/benchmark/overall_health?since=2024-04-01T00:00:00Z");
        assertThat(cognition.lastSince).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
        ok("/api/cognition/benchmark/overall.health");
        assertThat(cognition.lastSince).as("a week by default").isEqualTo(Instant.parse("2024-04-24T10:15:00Z"));

        AdminClient.Reply unknown = client.get("/api/cognition/benchmark/nothing.health");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("known metrics: overall.health, core.health");
        assertThat(client.get("/api/cognition/benchmark/overall.health?since=soon").json().get("parameter").asText())
                .isEqualTo("since");
    }

    @Test
    void alertsAreNewestFirstUpToTheLimit() {
        JsonNode json = ok("/api/cognition/alerts?limit=1");
        assertThat(cognition.lastLimit).isEqualTo(1);
        assertThat(json.get("alerts")).hasSize(1);
        JsonNode a = json.get("alerts").get(0);
        assertThat(a.get("at").asText()).isEqualTo("2024-05-01T10:05:00Z");
        assertThat(a.get("hour").asText()).isEqualTo("2024-05-01T09:00:00Z");
        assertThat(a.get("type").asText()).isEqualTo("domain_dip");
        assertThat(a.get("subject").asText()).isEqualTo("core");
        assertThat(a.get("value").asDouble()).isEqualTo(0.4);
        assertThat(a.get("threshold").asDouble()).isEqualTo(0.6);
        assertThat(a.get("message").asText()).isEqualTo("core health dipped to 0.40");
        assertThat(a.get("overall").get("health").asDouble()).isEqualTo(0.82);
        ok("/api/cognition/alerts");
        assertThat(cognition.lastLimit).as("50 by default").isEqualTo(50);
    }

    @Test
    void reportsAreGeneratedWithTheTokenAndTheLatestIsServed() {
        assertThat(client.get("/api/cognition/report/latest").status()).isEqualTo(404);
        assertThat(client.post("/api/cognition/report/generate", "", null).status()).isEqualTo(401);

        AdminClient.Reply generated = client.post("/api/cognition/report/generate", "", "t");

        assertThat(generated.status()).isEqualTo(201);
        JsonNode json = generated.json();
        assertThat(json.get("generatedAt").asText()).isEqualTo("2024-05-01T10:15:00Z");
        assertThat(Path.of(json.get("path").asText())).exists().hasParent(dir.resolve("reports").toAbsolutePath());
        AdminClient.Reply latest = client.get("/api/cognition/report/latest");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.contentType()).startsWith("text/markdown");
        assertThat(latest.body()).startsWith("# Readiness report");
    }

    @Test
    void metricsCarriesTheCognitionScores() throws Exception {
        // the scores are read by a thread of their own, off the request path: wait for its first read
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        var families = AdminHttpTest.parse(client.get("/metrics").body());
        while (!families.containsKey("grace_cognition_score_ratio") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            families = AdminHttpTest.parse(client.get("/metrics").body());
        }
        assertThat(AdminHttpTest.value(families, "grace_cognition_score_ratio",
                java.util.Map.of("score", "health"))).as("overall: no domain label").isEqualTo(0.82);
        assertThat(AdminHttpTest.value(families, "grace_cognition_score_ratio",
                java.util.Map.of("domain", "core", "score", "trust"))).isEqualTo(0.7);
        assertThat(families.get("grace_cognition_score_ratio").samples()).as("gaps are left out").hasSize(6);
    }

    private JsonNode ok(String path) {
        AdminClient.Reply r = client.get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return r.json();
    }

    /** Fixed records, and what it was last asked. */
    static final class FixedCognition implements CognitionReader {
        volatile Instant lastSince;
        volatile int lastLimit;

        @Override
        public Status status() {
            return status(HOUR);
        }

        @Override
        public Status status(Instant hour) {
            return new Status(hour, hour.equals(HOUR), OVERALL, List.of(
                    new DomainStatus("core", new Scores(0.8, 0.7, 0.6),
                            List.of(new KpiReading("success", "RATIO", true, 12, 0.8, 0.8),
                                    new KpiReading("latency", "SECONDS", false, 3, 0.2, null)), 0.05, 1, List.of(FLAG)),
                    new DomainStatus("security", Scores.GAP, List.of(), null, 0)));
        }

        @Override
        public Readiness readiness() {
            return new Readiness(HOUR.minusSeconds(3600), List.of(state(HOUR.minusSeconds(3600))), false,
                    List.of("raise core.health above 0.8"), List.of(FLAG));
        }

        private static BenchmarkState state(Instant hour) {
            return new BenchmarkState("overall_health", "overall.health", 0.8, "at_least", 168, 120, hour, 0.82, 30,
                    "met", "138 more hours at or above 0.8");
        }

        @Override
        public List<BenchmarkState> history(String metric, Instant since) {
            if (!metric.equals("overall.health") && !metric.equals("overall_health")) {
                throw new IllegalArgumentException("unknown metric " + metric + "; known metrics: overall.health, core.health");
            }
            lastSince = since;
            return List.of(state(HOUR.minusSeconds(3600)), state(HOUR));
        }

        @Override
        public List<Alert> alerts(int limit) {
            lastLimit = limit;
            List<Alert> all = new ArrayList<>(List.of(
                    new Alert(Instant.parse("2024-05-01T10:05:00Z"), HOUR.minusSeconds(3600), "domain_dip", "core", 0.4,
                            0.6, "core health dipped to 0.40", OVERALL),
                    new Alert(Instant.parse("2024-05-01T09:05:00Z"), HOUR.minusSeconds(7200), "threshold_crossed",
                            "overall_health", 0.81, 0.8, "overall health reached 0.81", OVERALL)));
            return all.subList(0, Math.min(limit, all.size()));
        }

        @Override
        public Path writeReport(Path file) {
            try {
                return Files.writeString(file, "# Readiness report\n\nNot ready yet.\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The real runtime, with the fixed cognition. */
    private final class Backend implements AdminBackend {
        @Override
        public boolean running() {
            return true;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public Path dataDir() {
            return dir;
        }

        @Override
        public List<PluginStatus> plugins() {
            return runtime.plugins();
        }

        @Override
        public PublishStats stats() {
            return runtime.stats();
        }

        @Override
        public Rollups memory() {
            return runtime.rollups();
        }

        @Override
        public RollupQuery store() {
            return null;
        }

        @Override
        public StoreHealth storeHealth() {
            return StoreHealth.OFF;
        }

        @Override
        public Optional<CognitionReader> cognition() {
            return Optional.of(cognition);
        }

        @Override
        public DomainPublishing publishers() {
            return null;
        }
    }
}
