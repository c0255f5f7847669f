package dev.grace.admin;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin server against clients that misbehave: slowloris connections, slow bodies, input that
 * is not HTTP. A real runtime with its H2 store, real sockets on loopback.
 */
class AdminServerUnderHostileClientsTest {

    @TempDir
    Path dir;

    private GraceRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private HostileClients start() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null))
                .withStore(GraceConfig.Store.defaults().withFlushInterval(Duration.ofMillis(200)));
        runtime = GraceRuntime.builder().config(config).clock(new TestClock(Instant.parse("2024-05-01T10:15:00Z")))
                .discoverClasspath(false).plugin(new TestPlugins.Good()).supervise(false).build().start();
        return new HostileClients(runtime.adminEndpoint().orElseThrow());
    }

    @Test
    void healthAnswersWithinASecondWhile200SlowlorisClientsAndSlowBodiesAreConnected() throws Exception {
        HostileClients clients = start();
        String token = Files.readString(dir.resolve("admin-token")).strip();
        // warm the server's code paths before measuring, as a running server would be
        for (int i = 0; i < 20; i++) {
            clients.request("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 5_000);
        }

        HostileClients.Figures f = clients.run(200, 10, token, "/health", 20);

        System.out.println("AdminServerUnderHostileClientsTest: 200 slowloris + 10 slow bodies, 20 s, GET /health: "
                + f.summary());
        assertThat(f.slowOpened()).as("slow connections really opened").isGreaterThanOrEqualTo(210);
        assertThat(f.micros().length).as("probes sent").isGreaterThan(50);
        assertThat(f.timedOut()).as(f.summary()).isZero();
        assertThat(f.percentile(99)).as(f.summary()).isLessThan(1_000_000);
    }

    @Test
    void malformedAndNonHttpInputIsAnswered400OrClosedWithinASecond() {
        HostileClients clients = start();
        byte[] tlsHello = HexFormat.of().parseHex("16030100a5010000a103035f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
                + "5e6f708192a3b4c5d6e7f80900001c0a0c0a0c0a0c0a0c0a0c0a0c0a0c0a0c0a0c0a0c0a0c0a0c0a0c0a0c0100");
        byte[] garbage = new byte[512];
        new java.util.Random(13).nextBytes(garbage); // fixed seed: the same bytes every run
        SoftAssertions soft = new SoftAssertions();
        // Bare LF line ends are HTTP all the same (RFC 9112 lets a server read them): answered, not hung.
        HostileClients.Answer lf = clients.send("GET /health/live HTTP/1.1\nHost: 127.0.0.1\n\n"
                .getBytes(StandardCharsets.US_ASCII), 3_000);
        System.out.println("AdminServerUnderHostileClientsTest: LF-only request: first byte after " + lf.firstByteMillis()
                + " ms, " + (lf.text().isEmpty() ? "no answer" : lf.text().lines().findFirst().orElse("")));
        soft.assertThat(lf.text()).as("LF-only request").startsWith("HTTP/1.1 200");
        soft.assertThat(lf.firstByteMillis()).as("LF-only request: answered within a second").isBetween(0L, 999L);

        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("TLS ClientHello", tlsHello);
        inputs.put("binary garbage", garbage);
        inputs.put("request line without a version", "GET /health\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        inputs.put("request line of one word", "HELLO\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        inputs.put("unknown HTTP version", "GET /health HTTP/7.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        inputs.put("header without a colon", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nnonsense\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        inputs.put("NUL in the request line", "GET /he\0alth HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        inputs.put("a space in the path", "GET /hea lth HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        inputs.put("a 20 KiB header", ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20 * 1024)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            HostileClients.Answer a = clients.send(e.getValue(), 3_000);
            String text = a.text();
            System.out.println("AdminServerUnderHostileClientsTest: " + e.getKey() + ": " + a.millis() + " ms, closed "
                    + a.closed() + ", " + (text.isEmpty() ? "no answer" : text.lines().findFirst().orElse("")));
            soft.assertThat(a.closed()).as("%s: closed by the server", e.getKey()).isTrue();
            soft.assertThat(a.millis()).as("%s: closed within a second", e.getKey()).isLessThan(1_000);
            if (!text.isEmpty()) {
                soft.assertThat(text).as(e.getKey()).matches("(?s)HTTP/1\\.[01] (400|414|431|505) .*")
                        .contains("application/problem+json");
            }
        }
        soft.assertAll();
    }
}
