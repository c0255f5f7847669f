package dev.grace.admin;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the admin server checks before and around an endpoint: the Host and Origin, the shape of
 * every error, the range of times, the health probes, and what reaches the log. A real runtime
 * with its H2 store, raw requests on loopback.
 */
class AdminHttpRequestChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private GraceRuntime runtime;
    private HostileClients raw;
    private URI base;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private void start() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null))
                .withStore(GraceConfig.Store.defaults().withFlushInterval(Duration.ofMillis(200)));
        runtime = GraceRuntime.builder().config(config).clock(new TestClock(Instant.parse("2024-05-01T10:15:00Z")))
                .discoverClasspath(false).plugin(new TestPlugins.Good()).supervise(false).build().start();
        base = runtime.adminEndpoint().orElseThrow();
        raw = new HostileClients(base);
    }

    private String get(String path, String host, String extraHeaders) {
        return raw.request("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders
                + "Connection: close\r\n\r\n", 5_000);
    }

    private String get(String path) {
        return get(path, "127.0.0.1:" + base.getPort(), "");
    }

    private static JsonNode problem(String answer) throws Exception {
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        JsonNode json = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(json.get("type").asText()).isEqualTo("about:blank");
        assertThat(json.get("title").asText()).isNotBlank();
        assertThat(json.get("detail").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(answer).startsWith("HTTP/1.1 " + json.get("status").asInt() + " ");
        return json;
    }

    @Test
    void onALoopbackBindOnlyLoopbackHostsAndOriginsAreServed() throws Exception {
        start();
        int port = base.getPort();
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port,
                "grace.localhost:" + port, "127.0.0.2")) {
            assertThat(get("/health/live", host, "")).as(host).startsWith("HTTP/1.1 200");
        }
        for (String host : List.of("attacker.example:" + port, "attacker.example", "127.0.0.1.attacker.example",
                "10.0.0.5:" + port, "localhost.attacker.example")) {
            JsonNode p = problem(get("/api/plugins", host, ""));
            assertThat(p.get("status").asInt()).as(host).isEqualTo(403);
            assertThat(p.get("parameter").asText()).isEqualTo("Host");
        }
        assertThat(get("/api/plugins", "127.0.0.1:" + port, "Origin: http://127.0.0.1:" + port + "\r\n"))
                .startsWith("HTTP/1.1 200");
        for (String origin : List.of("http://attacker.example", "null", "http://localhost.attacker.example:" + port)) {
            JsonNode p = problem(get("/api/plugins", "127.0.0.1:" + port, "Origin: " + origin + "\r\n"));
            assertThat(p.get("status").asInt()).as(origin).isEqualTo(403);
            assertThat(p.get("parameter").asText()).isEqualTo("Origin");
        }
    }

    @Test
    void badPercentEncodingAndBadLengthsAreProblemJsonNotAnHtmlPage() throws Exception {
        start();
        String token = Files.readString(dir.resolve("admin-token")).strip();
        for (String path : List.of("/api/rollups?domain=%zz&kpi=success", "/api/rollups?domain=core&kpi=%",
                "/api/rollups?domain=core&kpi=success&since=%E0%A4%A", "/%zz", "/api/%")) {
            JsonNode p = problem(get(path));
            assertThat(p.get("status").asInt()).as(path).isEqualTo(400);
        }
        for (String length : List.of("abc", "-1", "1, 2", "99999999999999999999")) {
            String answer = raw.request("POST /api/cognition/domain/core/update HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Length: " + length + "\r\n\r\n{}", 5_000);
            JsonNode p = problem(answer);
            assertThat(p.get("status").asInt()).as(length).isIn(400, 413);
        }
        assertThat(problem(get("/nothing")).get("status").asInt()).isEqualTo(404);
        String wrongMethod = get("/api/cognition/report/generate");
        assertThat(problem(wrongMethod).get("status").asInt()).isEqualTo(405);
        assertThat(wrongMethod).contains("Allow: POST");
    }

    @Test
    void timesOutOfRangeAre400NamingTheParameter() throws Exception {
        start();
        for (String query : List.of("since=999999999999d", "since=-1000000000-01-01T00:00:00Z",
                "since=+1000000000-01-01T00:00:00Z", "since=1969-12-31T23:59:59Z", "since=P999999999999D")) {
            JsonNode p = problem(get("/api/rollups?domain=core&kpi=success&" + query));
            assertThat(p.get("status").asInt()).as(query).isEqualTo(400);
            assertThat(p.get("parameter").asText()).as(query).isEqualTo("since");
        }
        JsonNode hour = problem(get("/api/cognition/status?hour=-1000000000-01-01T00:00:00Z"));
        assertThat(hour.get("status").asInt()).isEqualTo(400);
        assertThat(hour.get("parameter").asText()).isEqualTo("hour");
        assertThat(get("/api/rollups?domain=core&kpi=success&since=7d")).startsWith("HTTP/1.1 200");
    }

    @Test
    void liveNeverAsksTheRuntimeAndReadyIsHealthWithEveryPluginStarted() throws Exception {
        start();
        assertThat(get("/health/live")).startsWith("HTTP/1.1 200").contains("{\"status\":\"up\"}");
        String ready = get("/health/ready");
        assertThat(ready).startsWith("HTTP/1.1 200").contains("\"reachable\":true").contains("\"RUNNING\":1");
        assertThat(get("/health")).startsWith("HTTP/1.1 200");

        runtime.close();
        // the runtime is gone but a server that still answered would say so; here it is gone with it
        assertThat(raw.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(), 1_000).text()).isEmpty();
    }

    @Test
    void aKpiNameWithALineBreakCannotForgeALogLine() throws Exception {
        start();
        String token = Files.readString(dir.resolve("admin-token")).strip();
        Logger publisher = (Logger) LoggerFactory.getLogger("grace.publisher");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        publisher.addAppender(log);
        try {
            String body = "{\"values\": [{\"kpi\": \"x\\n12:00:00.000 ERROR [main] forged line\\u001b[2J\", \"value\": 1}]}";
            String answer = raw.request("POST /api/cognition/domain/core/update HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body, 5_000);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("UNKNOWN_KPI");
        } finally {
            publisher.detachAppender(log);
        }
        assertThat(log.list).isNotEmpty();
        for (ILoggingEvent e : log.list) {
            assertThat(e.getFormattedMessage()).doesNotContain("\n").doesNotContain("\u001b")
                    .contains("x\\n12:00:00.000 ERROR [main] forged line\\u001b[2J");
        }
    }
}
