package dev.grace.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grace.admin.internal.AdminBackend;
import dev.grace.admin.internal.AdminServer;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.Rollups;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;
import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import dev.grace.runtime.extension.DomainPublishing;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.runtime.store.RollupQuery;
import dev.grace.runtime.store.SeriesGroups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/rollups?by=KEY} of a real runtime over real HTTP on loopback: series grouped by one
 * attribute key, from the hours in memory when the store is off, from the store's
 * {@link RollupQuery#rollupsBy} when it is on; a key the KPI does not declare is a 400.
 */
class AdminSeriesApiTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T10:15:00Z"));
    private final Federation federation = new Federation();
    private final TestPlugins.Good core = new TestPlugins.Good();
    private GraceRuntime runtime;
    private AdminClient client;

    @BeforeEach
    void start() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null))
                .withStore(GraceConfig.Store.defaults().withEnabled(false));
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(federation).plugin(core).supervise(false).build().start();
        client = new AdminClient(runtime.adminEndpoint().orElseThrow());
        federation.publishSeries();
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private static List<String> rows(JsonNode json) {
        List<String> out = new ArrayList<>();
        json.get("rollups").forEach(r -> out.add(r.get("start").asText() + " " + r.get("series").asText() + " "
                + r.get("attributes") + " count=" + r.get("count").asLong() + " min=" + r.get("min").asDouble()
                + " max=" + r.get("max").asDouble()));
        return out;
    }

    @Test
    void byAKeyGivesOneRowPerValueAndTheOverflowFromMemoryWhenTheStoreIsOff() {
        AdminClient.Reply r = client.get("/api/rollups?domain=federation&kpi=latency&by=connector");

        assertThat(r.status()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.get("source").asText()).isEqualTo("memory");
        assertThat(json.get("by").asText()).isEqualTo("connector");
        assertThat(rows(json)).containsExactly(
                "2024-05-01T10:00:00Z _overflow {} count=2 min=500.0 max=600.0",
                "2024-05-01T10:00:00Z connector=billing {\"connector\":\"billing\"} count=2 min=100.0 max=300.0",
                "2024-05-01T10:00:00Z connector=crm {\"connector\":\"crm\"} count=2 min=200.0 max=400.0");
        JsonNode crm = json.get("rollups").get(2);
        assertThat(crm.get("mean").asDouble()).isEqualTo(300.0);
        assertThat(crm.get("p95").asDouble()).isBetween(396.0, 404.0);
        assertThat(crm.get("nodes").asInt()).isEqualTo(1);

        assertThat(rows(client.get("/api/rollups?domain=federation&kpi=latency&by=region").json())).containsExactly(
                "2024-05-01T10:00:00Z _overflow {} count=2 min=500.0 max=600.0",
                "2024-05-01T10:00:00Z region=eu {\"region\":\"eu\"} count=3 min=100.0 max=300.0",
                "2024-05-01T10:00:00Z region=us {\"region\":\"us\"} count=1 min=400.0 max=400.0");
    }

    @Test
    void withoutByTheRowsAreTheTotalsAsBefore() {
        JsonNode json = client.get("/api/rollups?domain=federation&kpi=latency").json();

        assertThat(json.has("by")).isFalse();
        assertThat(json.get("rollups")).singleElement().satisfies(row -> {
            assertThat(row.has("series")).isFalse();
            assertThat(row.has("attributes")).isFalse();
            assertThat(row.get("count").asLong()).as("every value, with or without attributes").isEqualTo(7);
            assertThat(row.get("max").asDouble()).isEqualTo(700.0);
        });
    }

    @Test
    void aKeyTheKpiDoesNotDeclareIsA400NamingItsAttributes() {
        Map<String, String> wrong = Map.of(
                "/api/rollups?domain=federation&kpi=latency&by=model",
                "by: KPI latency of domain federation declares no attribute 'model'; its attributes: connector, region",
                "/api/rollups?domain=federation&kpi=synced&by=connector",
                "by: KPI synced of domain federation declares no attributes, so it has no series; leave out by for"
                        + " its totals",
                "/api/rollups?domain=old&kpi=gone&by=Connector",
                "by: expected an attribute key such as connector ([a-z][a-z0-9_]{0,31}), got \"Connector\"");
        wrong.forEach((path, detail) -> {
            AdminClient.Reply r = client.get(path);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("parameter").asText()).isEqualTo("by");
            assertThat(r.json().get("detail").asText()).as(path).isEqualTo(detail);
        });
        assertThat(client.get("/api/rollups?domain=old&kpi=gone&by=connector").json().get("rollups"))
                .as("a KPI no plugin declares now may still be in the store: a well-formed key is read").isEmpty();
    }

    @Test
    void pluginsListsEachKpisAttributesAndBound() {
        JsonNode plugins = client.get("/api/plugins").json().get("plugins");
        JsonNode kpis = null;
        for (JsonNode p : plugins) {
            if (p.get("id").asText().equals("federation")) {
                kpis = p.get("kpis");
            }
        }
        assertThat(kpis).as("federation in " + plugins).isNotNull();

        assertThat(kpis.get(0).get("name").asText()).isEqualTo("latency");
        assertThat(kpis.get(0).get("attributes").toString())
                .isEqualTo("[{\"key\":\"connector\",\"allowed\":[]},{\"key\":\"region\",\"allowed\":[\"eu\",\"us\"]}]");
        assertThat(kpis.get(0).get("maxSeries").asInt()).isEqualTo(3);
        assertThat(kpis.get(1).get("attributes")).isEmpty();
        assertThat(kpis.get(1).get("maxSeries").asInt()).isEqualTo(200);
    }

    @Test
    void withTheRealStoreByReadsTheStoredSeriesRows() {
        Federation stored = new Federation();
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("stored")).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null));
        try (GraceRuntime withStore = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(stored).supervise(false).build().start()) {
            stored.publishSeries();
            assertThat(withStore.flushStore(Duration.ofSeconds(10))).as("flushed").isTrue();
            JsonNode json = new AdminClient(withStore.adminEndpoint().orElseThrow())
                    .get("/api/rollups?domain=federation&kpi=latency&by=connector").json();

            assertThat(json.get("source").asText()).isEqualTo("store");
            assertThat(rows(json)).containsExactly(
                    "2024-05-01T10:00:00Z _overflow {} count=2 min=500.0 max=600.0",
                    "2024-05-01T10:00:00Z connector=billing {\"connector\":\"billing\"} count=2 min=100.0 max=300.0",
                    "2024-05-01T10:00:00Z connector=crm {\"connector\":\"crm\"} count=2 min=200.0 max=400.0");
        }
    }

    @Test
    void withTheStoreByAsksTheStoresRollupsByWithTheKeyAndPeriod() {
        List<String> asked = new ArrayList<>();
        RollupQuery stored = new RollupQuery() {
            @Override
            public List<PeriodRollup> rollups(String domain, String kpi, Period period, Instant since) {
                return List.of();
            }

            @Override
            public List<PeriodRollup> rollupsBy(String domain, String kpi, String key, Period period, Instant since) {
                asked.add(domain + " " + kpi + " " + key + " " + period + " " + since);
                List<PeriodRollup> out = new ArrayList<>();
                for (HourlyRollup h : SeriesGroups.by(key, runtime.rollups().series(domain, kpi))) {
                    out.add(PeriodRollup.of(period, h, 2));
                }
                return out;
            }
        };
        try (AdminServer server = AdminServer.start(new HttpConfig(true, "127.0.0.1:0", "t"), dir,
                new StoreBackend(stored))) {
            JsonNode json = new AdminClient(server.address())
                    .get("/api/rollups?domain=federation&kpi=latency&by=connector&period=day&since=2024-05-01T00:00:00Z")
                    .json();

            assertThat(asked).containsExactly("federation latency connector DAY 2024-05-01T00:00:00Z");
            assertThat(json.get("source").asText()).isEqualTo("store");
            assertThat(json.get("period").asText()).isEqualTo("day");
            assertThat(rows(json)).containsExactly(
                    "2024-05-01T10:00:00Z _overflow {} count=2 min=500.0 max=600.0",
                    "2024-05-01T10:00:00Z connector=billing {\"connector\":\"billing\"} count=2 min=100.0 max=300.0",
                    "2024-05-01T10:00:00Z connector=crm {\"connector\":\"crm\"} count=2 min=200.0 max=400.0");
            assertThat(json.get("rollups").get(1).get("nodes").asInt()).isEqualTo(2);
        }
    }

    /** The real runtime, with a store reader of the test's. */
    private final class StoreBackend implements AdminBackend {
        private final RollupQuery store;

        StoreBackend(RollupQuery store) {
            this.store = store;
        }

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
            return store;
        }

        @Override
        public StoreHealth storeHealth() {
            return new StoreHealth(true, true, "test");
        }

        @Override
        public Optional<CognitionReader> cognition() {
            return Optional.empty();
        }

        @Override
        public DomainPublishing publishers() {
            return null;
        }
    }
}
