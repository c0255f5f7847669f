package dev.grace.admin.internal;

import dev.grace.runtime.extension.DomainPublishing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.Rollups;
import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.config.HttpConfig;
import dev.grace.runtime.store.RollupQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server's deadlines and connection limits, made short so that each is seen to act: real
 * sockets on loopback against a server whose backend has nothing in it.
 */
class AdminServerLimitsTest {

    private static final AdminServer.Limits SHORT = new AdminServer.Limits(600, 600, 5_000, 64, 4, 2, 4);

    @TempDir
    Path dir;

    private AdminServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private AdminServer start() {
        server = AdminServer.start(new HttpConfig(true, "127.0.0.1:0", "t"), dir, new EmptyBackend(), SHORT);
        return server;
    }

    private Socket open(String head) throws IOException {
        Socket s = new Socket(server.address().getHost(), server.address().getPort());
        sockets.add(s);
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** Reads until the server closes, for at most {@code millis}; what came, or null when it did not close. */
    private static String untilClosed(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        InputStream in = s.getInputStream();
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException stillOpen) {
            return null;
        } catch (IOException reset) {
            return "";
        }
    }

    @Test
    void aHeadThatTricklesPastItsDeadlineIsClosed() throws Exception {
        start();
        Socket slow = open("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        long t0 = System.nanoTime();
        String got = null;
        for (int i = 0; i < 30 && got == null; i++) { // a header line every 100 ms: the idle timeout never fires
            try {
                slow.getOutputStream().write(("X-Slow-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closed) {
                got = "";
                break;
            }
            got = untilClosed(slow, 100);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(got).as("closed").isNotNull();
        assertThat(millis).as("closed after the 600 ms head deadline, long before 3 s").isBetween(500L, 2_000L);
        assertThat(server.headTimeouts()).isEqualTo(1);
    }

    @Test
    void aBodySlowerThanItsDeadlineIs408AndClosed() throws Exception {
        start();
        Socket slow = open("POST /api/cognition/domain/core/update HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"val");
        long t0 = System.nanoTime();
        String got = untilClosed(slow, 3_000);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(got).as("closed").isNotNull().startsWith("HTTP/1.1 408").contains("application/problem+json")
                .contains("\"parameter\":\"body\"");
        assertThat(millis).isBetween(500L, 2_000L);
    }

    @Test
    void aClientPastItsConnectionLimitIsClosedAtOnceAndTheOthersStillServe() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            open("");
        }
        // the server accepts them in its own order: whichever it saw fifth is the one closed
        List<Socket> open = new ArrayList<>();
        for (Socket s : sockets) {
            if (untilClosed(s, 300) == null) {
                open.add(s);
            }
        }
        assertThat(open).as("all but one still open").hasSize(4);
        assertThat(server.refusedConnections()).isEqualTo(1);

        Socket first = open.get(0);
        first.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(untilClosed(first, 2_000)).startsWith("HTTP/1.1 200");
    }

    @Test
    void healthProbesAnswerWhileEveryWorkerIsBusyAndTheQueueFullIs503() throws Exception {
        BlockingBackend backend = new BlockingBackend();
        server = AdminServer.start(new HttpConfig(true, "127.0.0.1:0", "t"), dir, backend,
                new AdminServer.Limits(600, 600, 5_000, 64, 32, 2, 4));
        try {
            for (int i = 0; i < 2 + 4; i++) { // two workers, four queued: all waiting on the backend
                open("GET /api/cognition/readiness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            }
            Thread.sleep(300);
            Socket overflow = new Socket(server.address().getHost(), server.address().getPort());
            sockets.add(overflow);
            OutputStream out = overflow.getOutputStream();
            out.write("GET /api/cognition/readiness HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(untilClosed(overflow, 2_000)).startsWith("HTTP/1.1 503").contains("Retry-After: 1");

            Socket probe = new Socket(server.address().getHost(), server.address().getPort());
            sockets.add(probe);
            probe.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(untilClosed(probe, 1_000)).startsWith("HTTP/1.1 200");
        } finally {
            backend.release();
        }
    }

    @Test
    void aStoreWriterStuckRetryingFailsReadinessButNotLiveness() throws Exception {
        server = AdminServer.start(new HttpConfig(true, "127.0.0.1:0", "t"), dir, new StuckWriterBackend(), SHORT);
        String ready = untilClosed(open("GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                5_000);
        assertThat(ready).startsWith("HTTP/1.1 503")
                .contains("the store's writer has been retrying a failed write since 2026-11-22T10:00:00Z")
                .contains("\"stuckSince\":\"2026-11-22T10:00:00Z\"").contains("\"rawEventsRefused\":3");
        String health = untilClosed(open("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                5_000);
        assertThat(health).as("the database answers; only readiness says the writer is stuck").startsWith("HTTP/1.1 200");
        String live = untilClosed(open("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                5_000);
        assertThat(live).startsWith("HTTP/1.1 200");
    }

    /** Nothing in it: no plugins, no store, no cognition. */
    private static class EmptyBackend implements AdminBackend {
        @Override
        public boolean running() {
            return true;
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public Path dataDir() {
            return Path.of(".");
        }

        @Override
        public List<PluginStatus> plugins() {
            return List.of();
        }

        @Override
        public PublishStats stats() {
            return new PublishStats(Map.of());
        }

        @Override
        public Rollups memory() {
            throw new UnsupportedOperationException("not read by these tests");
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
            return Optional.empty();
        }

        @Override
        public DomainPublishing publishers() {
            return null;
        }
    }

    /** A store that answers while its writer has been retrying a failed write since 10:00. */
    private static final class StuckWriterBackend extends EmptyBackend {
        @Override
        public StoreHealth storeHealth() {
            return new StoreHealth(true, true, "jdbc:h2:mem:x (node n)", java.time.Instant.parse("2026-11-22T10:00:00Z"), 3);
        }
    }

    /** A backend whose cognition waits, as a store query stuck on its pool would. */
    private static final class BlockingBackend extends EmptyBackend {
        private final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public Optional<CognitionReader> cognition() {
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }

        void release() {
            gate.countDown();
        }
    }
}
