package dev.grace.spring.boot;

import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The store behind an H2 TCP server that the test stops: readiness goes DOWN, liveness stays UP. */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true"})
class StoreOutageStarterTest {

    static final Path DATA;
    static final int DB_PORT;
    static final String[] DB_ARGS;
    static Server db;

    static {
        try {
            DATA = Files.createTempDirectory("grace-starter-outage-");
            try (ServerSocket free = new ServerSocket(0)) {
                DB_PORT = free.getLocalPort();
            }
            // a daemon server: it ends with the JVM, after the cached context has closed against it
            DB_ARGS = new String[] {"-tcpPort", String.valueOf(DB_PORT), "-tcpDaemon", "-ifNotExists",
                    "-baseDir", DATA.resolve("db").toString()};
            db = Server.createTcpServer(DB_ARGS).start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        registry.add("grace.dataDir", DATA::toString);
        registry.add("grace.store.url", () -> "jdbc:h2:tcp://127.0.0.1:" + DB_PORT + "/grace");
    }

    @LocalServerPort
    int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aDatabaseOutageTakesReadinessDownAndLeavesLivenessUp() throws Exception {
        assertThat(await("/actuator/health/readiness", 200).body()).contains("\"reachable\":true");

        db.stop();
        HttpResponse<String> readiness = await("/actuator/health/readiness", 503);
        assertThat(readiness.body()).contains("\"grace\":{\"status\":\"DOWN\"").contains("\"reachable\":false");

        long started = System.nanoTime();
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"");
        // the probes read the latest check: no request waits on the unreachable database
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        long readStarted = System.nanoTime();
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - readStarted)).isLessThan(Duration.ofSeconds(2));

        db = Server.createTcpServer(DB_ARGS).start(); // back: readiness recovers, and the context closes without waiting
        assertThat(await("/actuator/health/readiness", 200).body()).contains("\"reachable\":true");
    }

    /** Polls until the status is reached: the check runs once a second, and H2's sockets close asynchronously. */
    private HttpResponse<String> await(String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> r = get(path);
        while (r.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = get(path);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
