package dev.grace.admin;

import dev.grace.runtime.PublishStats;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grace.api.RejectReason;
import dev.grace.runtime.config.ConfigException;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The admin API against a real runtime, its real H2 store, over real HTTP on loopback. */
class AdminHttpTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T10:15:00Z"));
    private final List<GraceRuntime> runtimes = new ArrayList<>();
    private final TestPlugins.Good core = new TestPlugins.Good();
    private final TestPlugins.SecondGood security = new TestPlugins.SecondGood();

    @AfterEach
    void close() {
        runtimes.forEach(GraceRuntime::close);
    }

    private GraceConfig config(HttpConfig http) {
        return GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of()).withHttp(http)
                .withStore(GraceConfig.Store.defaults().withFlushInterval(Duration.ofMillis(20)));
    }

    private GraceRuntime start(GraceConfig config) {
        GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(core).plugin(security).supervise(false).build();
        runtimes.add(runtime);
        return runtime.start();
    }

    private GraceRuntime start() {
        return start(config(new HttpConfig(true, "127.0.0.1:0", null)));
    }

    private static AdminClient client(GraceRuntime runtime) {
        return new AdminClient(runtime.adminEndpoint().orElseThrow());
    }

    private String token() throws Exception {
        return Files.readString(dir.resolve("admin-token")).strip();
    }

    @Test
    void offUnlessEnabledAndServesOnlyWhileRunning() {
        GraceRuntime off = start(config(HttpConfig.defaults()).withDataDir(dir.resolve("off")));
        assertThat(off.adminEndpoint()).isEmpty();

        GraceRuntime on = start();
        assertThat(on.adminEndpoint()).hasValueSatisfying(u -> assertThat(u.toString()).startsWith("http://127.0.0.1:"));
        assertThat(core.context.runtime().adminEndpoint()).isEqualTo(on.adminEndpoint());
        AdminClient client = client(on);
        assertThat(client.get("/health").status()).isEqualTo(200);

        on.close();
        assertThat(on.adminEndpoint()).isEmpty();
        assertThat(core.context.runtime().adminEndpoint()).isEmpty();
        assertThatThrownBy(() -> client.get("/health")).isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void pluginsListsEveryPluginWithItsKpisTheCurrentHourAndWhatItPublished() {
        GraceRuntime runtime = start();
        core.publisher().record(TestPlugins.SUCCESS, 0.5);
        core.publisher().record(TestPlugins.SUCCESS, 1.0);
        core.publisher().record(TestPlugins.SUCCESS, Double.NaN);

        AdminClient.Reply r = client(runtime).get("/api/plugins");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode json = r.json();
        assertThat(json.get("hour").asText()).isEqualTo("2024-05-01T10:00:00Z");
        JsonNode good = json.get("plugins").get(0);
        assertThat(good.get("id").asText()).isEqualTo("good");
        assertThat(good.get("domain").asText()).isEqualTo("core");
        assertThat(good.get("state").asText()).isEqualTo("RUNNING");
        assertThat(good.get("source").asText()).isEqualTo("host");
        assertThat(good.get("restarts").asInt()).isZero();
        JsonNode success = good.get("kpis").get(1);
        assertThat(success.get("name").asText()).isEqualTo("success");
        assertThat(success.get("unit").asText()).isEqualTo("RATIO");
        assertThat(success.get("healthBearing").asBoolean()).isTrue();
        assertThat(success.get("currentHour").get("count").asLong()).isEqualTo(2);
        assertThat(success.get("currentHour").get("mean").asDouble()).isEqualTo(0.75);
        assertThat(good.get("published").get("accepted").asLong()).isEqualTo(2);
        assertThat(good.get("published").get("rejected").get("NOT_A_NUMBER").asLong()).isEqualTo(1);
        assertThat(json.get("plugins").get(1).get("domain").asText()).isEqualTo("security");
        assertThat(json.get("totals").get("accepted").asLong()).isEqualTo(2);
        assertThat(json.get("totals").get("rejected").asLong()).isEqualTo(1);
    }

    @Test
    void postedValuesAreValidatedRolledUpAndCountedLikeAPluginsValues() throws Exception {
        GraceRuntime runtime = start();
        AdminClient client = client(runtime);
        String body = """
                {"values": [
                  {"kpi": "success", "value": 0.9},
                  {"kpi": "success", "value": 0.7, "timestamp": "2024-05-01T09:30:00Z", "metadata": {"source": "cron"}},
                  {"kpi": "nope", "value": 0.5},
                  {"kpi": "success", "value": NaN},
                  {"kpi": "success", "value": 1.5},
                  {"kpi": "latency", "value": 3, "timestamp": "2024-05-01T03:00:00Z"}
                ]}""";

        AdminClient.Reply r = client.post("/api/cognition/domains/core/values", body, token());

        assertThat(r.status()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.get("domain").asText()).isEqualTo("core");
        assertThat(json.get("accepted").asInt()).isEqualTo(2);
        assertThat(json.get("rejected").asInt()).isEqualTo(4);
        List<String> outcomes = new ArrayList<>();
        json.get("results").forEach(v -> outcomes.add(v.get("kpi").asText() + " "
                + (v.get("accepted").asBoolean() ? "accepted" : v.get("reason").asText())));
        assertThat(outcomes).containsExactly("success accepted", "success accepted", "nope UNKNOWN_KPI",
                "success NOT_A_NUMBER", "success OUT_OF_RANGE", "latency TOO_LATE");

        PublishStats stats = runtime.stats();
        assertThat(stats.accepted("http:core")).isEqualTo(2);
        assertThat(stats.rejected("http:core")).containsEntry(RejectReason.UNKNOWN_KPI, 1L)
                .containsEntry(RejectReason.NOT_A_NUMBER, 1L).containsEntry(RejectReason.OUT_OF_RANGE, 1L)
                .containsEntry(RejectReason.TOO_LATE, 1L);
        assertThat(stats.accepted("good")).as("the plugin's own figures stay its own").isZero();
        assertThat(runtime.rollups().hour("core", "success", Instant.parse("2024-05-01T10:00:00Z")))
                .hasValueSatisfying(h -> assertThat(h.mean()).isEqualTo(0.9));
        assertThat(runtime.rollups().hour("core", "success", Instant.parse("2024-05-01T09:00:00Z")))
                .hasValueSatisfying(h -> assertThat(h.mean()).isEqualTo(0.7));

        // and the store has them, merged with what the plugin itself published
        core.publisher().record(TestPlugins.SUCCESS, 0.5);
        JsonNode stored = awaitStored(client, "/api/rollups?domain=core&kpi=success&since=2h", 2);
        assertThat(stored.get("source").asText()).isEqualTo("store");
        assertThat(stored.get("period").asText()).isEqualTo("hour");
        JsonNode current = stored.get("rollups").get(1);
        assertThat(current.get("start").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(current.get("count").asLong()).isEqualTo(2);
        assertThat(current.get("mean").asDouble()).isEqualTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(current.get("nodes").asInt()).isEqualTo(1);
        for (String field : List.of("sum", "min", "max", "stddev", "p50", "p95", "p99")) {
            assertThat(current.has(field)).as(field).isTrue();
        }

        AdminClient.Reply unknown = client.post("/api/cognition/domains/finance/values", body, token());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        JsonNode problem = unknown.json();
        assertThat(problem.get("detail").asText()).contains("unknown domain finance").contains("core, security");
        assertThat(problem.get("type").asText()).isEqualTo("about:blank");
        assertThat(problem.get("title").asText()).isEqualTo("Not Found");
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("instance").asText()).isEqualTo("/api/cognition/domains/finance/values");

        // the path of before, kept as an alias: the same handler
        AdminClient.Reply alias = client.post("/api/cognition/domain/core/update",
                "{\"values\": [{\"kpi\": \"success\", \"value\": 0.8}]}", token());
        assertThat(alias.status()).isEqualTo(200);
        assertThat(alias.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(runtime.stats().accepted("http:core")).isEqualTo(3);
    }

    private static JsonNode awaitStored(AdminClient client, String path, int rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode json;
        do {
            json = client.get(path).json();
            if (json.get("rollups").size() == rows
                    && json.get("rollups").get(rows - 1).get("count").asLong() == 2) {
                return json;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the store did not have " + rows + " rows in time: " + json);
    }

    @Test
    void everyPostNeedsTheTokenWhichIsWrittenOnceWithMode600() throws Exception {
        GraceRuntime runtime = start();
        AdminClient client = client(runtime);
        String body = "{\"values\": [{\"kpi\": \"success\", \"value\": 0.9}]}";

        Path file = dir.resolve("admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String token = token();
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);

        for (String wrong : new String[] {null, "", "x" + token, token.substring(1), token.toUpperCase()}) {
            AdminClient.Reply r = client.post("/api/cognition/domain/core/update", body, wrong);
            assertThat(r.status()).as("token %s", wrong).isEqualTo(401);
            assertThat(r.json().get("parameter").asText()).isEqualTo("Authorization");
        }
        assertThat(client.post("/api/cognition/report/generate", "", null).status()).isEqualTo(401);
        assertThat(runtime.stats().accepted("http:core")).isZero();
        assertThat(client.post("/api/cognition/domain/core/update", body, token).status()).isEqualTo(200);

        runtime.close();
        GraceRuntime again = start();
        assertThat(token()).as("kept across restarts").isEqualTo(token);
        assertThat(client(again).post("/api/cognition/domain/core/update", body, token).status()).isEqualTo(200);
    }

    @Test
    void aConfiguredTokenIsTheOneChecked() {
        GraceRuntime runtime = start(config(new HttpConfig(true, "127.0.0.1:0", "s3cret-token")));
        AdminClient client = client(runtime);
        String body = "{\"values\": [{\"kpi\": \"success\", \"value\": 0.9}]}";
        assertThat(client.post("/api/cognition/domain/core/update", body, "s3cret-token").status()).isEqualTo(200);
        assertThat(client.post("/api/cognition/domain/core/update", body, "s3cret-tokeN").status()).isEqualTo(401);
        assertThat(dir.resolve("admin-token")).doesNotExist();
    }

    @Test
    void badParametersAre400NamingTheParameter() throws Exception {
        GraceRuntime runtime = start();
        AdminClient client = client(runtime);
        Map<String, String> gets = new HashMap<>();
        gets.put("/api/rollups?kpi=success", "domain");
        gets.put("/api/rollups?domain=core", "kpi");
        gets.put("/api/rollups?domain=core&kpi=success&period=month", "period");
        gets.put("/api/rollups?domain=core&kpi=success&since=yesterday", "since");
        gets.put("/api/rollups?domain=core&kpi=success&since=-5h", "since");
        gets.put("/api/rollups?domain=co%20re&kpi=success", "domain");
        gets.put("/api/rollups?domain=core&kpi=success&kip=x", "kip");
        gets.put("/api/rollups?domain=core&domain=ml&kpi=success", "domain");
        gets.put("/api/cognition/alerts?limit=0", "limit");
        gets.put("/api/cognition/alerts?limit=ten", "limit");
        gets.put("/api/plugins?verbose=1", "verbose");
        for (Map.Entry<String, String> e : gets.entrySet()) {
            AdminClient.Reply r = client.get(e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(400);
            assertThat(r.json().get("parameter").asText()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(r.json().get("detail").asText()).as(e.getKey()).startsWith(e.getValue() + ": ");
        }
        Map<String, String> posts = new HashMap<>();
        posts.put("{\"values\": [", "body");
        posts.put("[1, 2]", "values");
        posts.put("{\"values\": []}", "values");
        posts.put("{\"values\": [{\"kpi\": \"success\", \"value\": 0.9}], \"extra\": 1}", "extra");
        posts.put("{\"values\": [{\"kpi\": \"success\"}]}", "values[0].value");
        posts.put("{\"values\": [{\"kpi\": \"success\", \"value\": \"0.9\"}]}", "values[0].value");
        posts.put("{\"values\": [{\"value\": 0.9}]}", "values[0].kpi");
        posts.put("{\"values\": [{\"kpi\": \"success\", \"value\": 1}, {\"kpi\": \"success\", \"value\": 1,"
                + " \"timestamp\": \"today\"}]}", "values[1].timestamp");
        posts.put("{\"values\": [{\"kpi\": \"success\", \"value\": 1, \"unit\": \"s\"}]}", "values[0].unit");
        for (Map.Entry<String, String> e : posts.entrySet()) {
            AdminClient.Reply r = client.post("/api/cognition/domain/core/update", e.getKey(), token());
            assertThat(r.status()).as(e.getKey()).isEqualTo(400);
            assertThat(r.json().get("parameter").asText()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(runtime.stats().accepted("http:core")).as("a bad request publishes nothing, not even its good values")
                .isZero();
    }

    @Test
    void unknownPathsAre404WrongMethods405AndTraversalIsRefused() throws Exception {
        GraceRuntime runtime = start();
        AdminClient client = client(runtime);
        assertThat(client.get("/api/nothing").status()).isEqualTo(404);
        assertThat(client.get("/api/nothing").json().get("detail").asText()).contains("/api/nothing");
        assertThat(client.get("/assets/admin-token").status()).isEqualTo(404);
        assertThat(client.get("/assets/dashboard.js").status()).isEqualTo(200);
        assertThat(client.get("/api/cognition/domain/core/update").status()).isEqualTo(405);
        assertThat(client.post("/api/plugins", "{}", token()).status()).isEqualTo(405);

        for (String path : List.of("/assets/../admin-token", "/assets/..%2fadmin-token", "/assets/%2e%2e/admin-token",
                "/assets/..%5cadmin-token", "/api/cognition/benchmark/..%2F..%2Fadmin-token", "/./health")) {
            String answer = client.raw("GET " + path + " HTTP/1.1", new byte[0]);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("\"parameter\":\"path\"")
                    .doesNotContain(token());
        }
    }

    @Test
    void oversizedBodiesAre413BeforeAnythingIsPublished() throws Exception {
        GraceRuntime runtime = start();
        AdminClient client = client(runtime);
        StringBuilder big = new StringBuilder("{\"values\": [");
        while (big.length() < 70 * 1024) {
            big.append("{\"kpi\": \"success\", \"value\": 0.5},");
        }
        big.append("{\"kpi\": \"success\", \"value\": 0.5}]}");
        byte[] body = big.toString().getBytes(StandardCharsets.UTF_8);

        String declared = client.raw("POST /api/cognition/domain/core/update HTTP/1.1\r\nAuthorization: Bearer " + token()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length, body);
        assertThat(declared).startsWith("HTTP/1.1 413").contains("64 KiB");

        String chunked = client.raw("POST /api/cognition/domain/core/update HTTP/1.1\r\nAuthorization: Bearer " + token()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked", chunked(body));
        assertThat(chunked).startsWith("HTTP/1.1 413");
        assertThat(runtime.stats().accepted("http:core")).isZero();

        String fits = big.substring(0, 60 * 1024);
        fits = fits.substring(0, fits.lastIndexOf(',')) + "]}";
        assertThat(client.post("/api/cognition/domain/core/update", fits, token()).status()).isEqualTo(200);
    }

    private static byte[] chunked(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += 8192) {
            int n = Math.min(8192, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void cognitionEndpointsAre503WithAReasonWhileThereIsNoCognition() {
        GraceConfig off = config(new HttpConfig(true, "127.0.0.1:0", null));
        AdminClient client = client(start(off.withCognition(off.cognition().withEnabled(false))));
        for (String path : List.of("/api/cognition/status", "/api/cognition/readiness", "/api/cognition/alerts",
                "/api/cognition/benchmark/overall.health")) {
            AdminClient.Reply r = client.get(path);
            assertThat(r.status()).as(path).isEqualTo(503);
            assertThat(r.json().get("detail").asText()).as(path).contains("cognition is not available");
        }
        assertThat(client.get("/api/cognition/report/latest").status()).isEqualTo(404);
    }

    @Test
    void healthIs200WhileTheStoreAnswersAnd503WithTheReasonWhenItDoesNot() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", dir.resolve("db").toString()};
        Server db = Server.createTcpServer(args).start();
        try {
            GraceConfig config = config(new HttpConfig(true, "127.0.0.1:0", null));
            GraceRuntime runtime = start(config.withStore(config.store().withUrl("jdbc:h2:tcp://127.0.0.1:" + port + "/grace")));
            AdminClient client = client(runtime);

            AdminClient.Reply up = client.get("/health");
            long ready = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // a loaded machine may miss one check
            while (up.status() != 200 && System.nanoTime() < ready) {
                Thread.sleep(50);
                up = client.get("/health");
            }
            assertThat(up.status()).as(up.body()).isEqualTo(200);
            JsonNode json = up.json();
            assertThat(json.get("status").asText()).isEqualTo("up");
            assertThat(json.get("reason").isNull()).isTrue();
            assertThat(json.get("runtime").asText()).isEqualTo("running");
            assertThat(json.get("store").get("enabled").asBoolean()).isTrue();
            assertThat(json.get("store").get("reachable").asBoolean()).isTrue();
            assertThat(json.get("store").get("location").asText()).contains("jdbc:h2:tcp://");
            assertThat(json.get("plugins").get("RUNNING").asInt()).isEqualTo(2);

            db.stop();
            AdminClient.Reply down = client.get("/health");
            long stopped = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // the server's sockets close asynchronously
            while (down.status() != 503 && System.nanoTime() < stopped) {
                Thread.sleep(50);
                down = client.get("/health");
            }
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("status").asText()).isEqualTo("down");
            assertThat(down.json().get("reason").asText()).startsWith("the store does not answer: jdbc:h2:tcp://");

            db = Server.createTcpServer(args).start(); // back: health recovers, and closing need not wait for it
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (client.get("/health").status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(client.get("/health").status()).isEqualTo(200);
            runtime.close();
        } finally {
            db.stop();
        }
    }

    @Test
    void metricsIsPrometheusTextThatARealParserReads() throws Exception {
        GraceRuntime runtime = start();
        core.publisher().record(TestPlugins.SUCCESS, 0.25);
        core.publisher().record(TestPlugins.SUCCESS, 0.75);
        core.publisher().record(TestPlugins.LATENCY, -1);
        AdminClient client = client(runtime);
        client.get("/api/nothing");

        AdminClient.Reply r = client.get("/metrics");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        Map<String, PrometheusText.Family> families = parse(r.body());
        assertThat(families).containsKeys("grace_build_info", "grace_up", "grace_plugins", "grace_plugin_restarts_total",
                "grace_values_accepted_total", "grace_values_rejected_total", "grace_raw_events_dropped_total",
                "grace_store_up", "grace_kpi_ratio", "grace_http_requests_total");
        assertThat(families.get("grace_values_accepted_total").type()).isEqualTo("counter");
        assertThat(families.get("grace_kpi_ratio").type()).isEqualTo("summary");
        assertThat(value(families, "grace_up", Map.of())).isEqualTo(1);
        assertThat(value(families, "grace_store_up", Map.of())).isEqualTo(1);
        assertThat(value(families, "grace_plugins", Map.of("state", "RUNNING"))).isEqualTo(2);
        assertThat(value(families, "grace_kpi_ratio", "grace_kpi_ratio_count", Map.of("domain", "core", "kpi", "success")))
                .isEqualTo(2);
        assertThat(value(families, "grace_kpi_ratio", "grace_kpi_ratio_sum", Map.of("domain", "core", "kpi", "success")))
                .isEqualTo(1);
        assertThat(value(families, "grace_values_accepted_total", Map.of("publisher", "good"))).isEqualTo(2);
        assertThat(value(families, "grace_values_rejected_total", Map.of("publisher", "good", "reason", "OUT_OF_RANGE")))
                .isEqualTo(1);
        assertThat(value(families, "grace_http_requests_total", Map.of("code", "404"))).isEqualTo(1);
        assertThat(r.body().lines().filter(l -> l.startsWith("# TYPE grace_kpi_ratio ")).count()).isEqualTo(1);
    }

    /** Every family, by name, as a strict reader of the text format reads it; fails on any line it rejects. */
    static Map<String, PrometheusText.Family> parse(String text) {
        Map<String, PrometheusText.Family> out = PrometheusText.parse(text);
        long samples = text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
        assertThat(out.values().stream().mapToLong(f -> f.samples().size()).sum()).as("every sample parsed")
                .isEqualTo(samples);
        return out;
    }

    static double value(Map<String, PrometheusText.Family> families, String name, Map<String, String> labels) {
        return value(families, name, name, labels);
    }

    /** The value of the sample named {@code sample} of family {@code name} whose labels are exactly {@code labels}. */
    static double value(Map<String, PrometheusText.Family> families, String name, String sample, Map<String, String> labels) {
        PrometheusText.Family f = families.get(name);
        assertThat(f).as(name).isNotNull();
        for (PrometheusText.Sample m : f.samples()) {
            if (m.name().equals(sample) && m.labels().equals(labels)) {
                return m.value();
            }
        }
        throw new AssertionError("no " + sample + labels + " in " + f.samples());
    }

    @Test
    void badBindsRefuseToStartWithOneLineNamingTheKey() throws Exception {
        assertThatThrownBy(() -> start(config(new HttpConfig(true, "0.0.0.0:0", null))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("http.bind: 0.0.0.0:0 is not a loopback address")
                .hasMessageContaining("set http.token");
        assertThat(dir.resolve("store")).as("nothing was opened").doesNotExist();
        assertThatThrownBy(() -> start(config(new HttpConfig(true, "8470", null))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected HOST:PORT");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> start(config(new HttpConfig(true, "127.0.0.1:" + taken.getLocalPort(), null))))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("cannot listen on 127.0.0.1:")
                    .hasMessageContaining("--no-http");
        }
        GraceRuntime open = start(config(new HttpConfig(true, "0.0.0.0:0", "chosen-token")));
        assertThat(open.adminEndpoint()).isPresent();
    }
}
