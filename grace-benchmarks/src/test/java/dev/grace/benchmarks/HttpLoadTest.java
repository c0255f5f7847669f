package dev.grace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator against a real JDK HTTP server on loopback: what it counts is what happened. */
class HttpLoadTest {

    private static final byte[] BODY = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private ExecutorService threads;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private static final long STALL_MS = 300;
    private URI base;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/ok", e -> {
            answered.incrementAndGet();
            e.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.createContext("/chunked", e -> {
            e.sendResponseHeaders(200, 0); // length 0: the JDK server sends the body chunked
            try (OutputStream out = e.getResponseBody()) {
                out.write(BODY, 0, 70_000);
                out.flush();
                out.write(BODY, 70_000, 30_000);
            }
        });
        server.createContext("/missing", e -> {
            byte[] b = "no".getBytes(StandardCharsets.US_ASCII);
            e.sendResponseHeaders(404, b.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(b);
            }
        });
        server.createContext("/stall", e -> {
            // the 20th request stalls the server for 300 ms, as a GC pause or a slow query would
            if (stalls.incrementAndGet() == 20) {
                try {
                    Thread.sleep(STALL_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] b = "ok".getBytes(StandardCharsets.US_ASCII);
            e.sendResponseHeaders(200, b.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(b);
            }
        });
        threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void everyClientKeepsOneConnectionAndEveryMeasuredAnswerIsCounted() throws Exception {
        HttpLoad.Result r = HttpLoad.run(base, "/ok", 3, Duration.ofMillis(100), Duration.ofMillis(300));

        assertThat(r.connections()).isEqualTo(3);
        assertThat(r.errors()).isZero();
        assertThat(r.requests()).isPositive().isEqualTo(r.latency().count());
        // the server answered the measured requests and the warm-up's, and nothing the client did not read
        assertThat(answered.get()).isGreaterThan(r.requests());
        assertThat(r.latency().p50()).isPositive().isLessThanOrEqualTo(r.latency().max());
    }

    @Test
    void aPacedRunSendsEverySlotAndCountsTheWaitAStallCausesFromEachSlotsIntendedTime() throws Exception {
        HttpLoad.PacedResult r = HttpLoad.paced(base, "/stall", 1, 200, Duration.ZERO, Duration.ofSeconds(1));

        // the schedule is fixed: 200 slots in the measured second, each one sent, stall or not
        assertThat(r.requests()).isBetween(199L, 201L);
        assertThat(r.errors()).isZero();
        // the ~60 slots that fell due during the stall waited for it: a quarter of all slots waited 50 ms or more
        assertThat(r.late()).isGreaterThanOrEqualTo(40);
        assertThat(r.latency().p90()).isGreaterThanOrEqualTo(50);
        assertThat(r.latency().max()).isGreaterThanOrEqualTo(STALL_MS);
        // measured from the actual send, only the one stalled request is slow: the omission corrected above
        assertThat(r.service().max()).isGreaterThanOrEqualTo(STALL_MS);
        assertThat(r.service().p90()).isLessThan(r.latency().p90() / 2);
    }

    @Test
    void aPacedRunNeedsARate() {
        assertThatThrownBy(() -> HttpLoad.paced(base, "/ok", 1, 0, Duration.ZERO, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate > 0");
    }

    @Test
    void anAnswerOtherThan200IsAnError() throws Exception {
        HttpLoad.Result r = HttpLoad.run(base, "/missing", 2, Duration.ZERO, Duration.ofMillis(200));

        assertThat(r.requests()).isPositive();
        assertThat(r.errors()).isEqualTo(r.requests());
        assertThat(r.connections()).isEqualTo(2);
    }

    @Test
    void aChunkedBodyIsReadWhole() throws Exception {
        try (HttpLoad.Connection c = new HttpLoad.Connection(new InetSocketAddress("127.0.0.1", base.getPort()), "/chunked")) {
            assertThat(c.get()).isEqualTo(200);
            assertThat(c.body()).isEqualTo(BODY);
            assertThat(c.get()).as("the same connection, again").isEqualTo(200);
            assertThat(c.body()).hasSize(BODY.length);
        }
    }
}
