package dev.grace.admin;

import dev.grace.api.RuntimeView;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin server and the plugins' runtime view while the database is down: a real runtime with
 * its real store and cognition on an H2 server over TCP, which the test stops. No request may wait
 * on the database, nothing answered carries a stack trace, and no plugin sees a library exception.
 */
class AdminDuringOutageTest {

    /** How long any one answer may take while the store is down (the pool waits 2 s; nothing may wait on it). */
    private static final Duration BOUND = Duration.ofMillis(1_000);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T10:15:00Z"));
    private final TestPlugins.Good core = new TestPlugins.Good();

    @Test
    void whileTheStoreIsDownEveryRequestAnswersAtOnceMetricsIsServedAndPluginsKeepRunning() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", dir.resolve("db").toString()};
        Server db = Server.createTcpServer(args).start();
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null))
                .withStore(GraceConfig.Store.defaults().withFlushInterval(Duration.ofMillis(20))
                        .withUrl("jdbc:h2:tcp://127.0.0.1:" + port + "/grace"));
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(core).supervise(false).build().start()) {
            AdminClient client = new AdminClient(runtime.adminEndpoint().orElseThrow());
            core.publisher().record(TestPlugins.SUCCESS, 0.5);
            RuntimeView view = core.context.runtime();
            awaitStatus(client, "/health", 200);
            List<RuntimeView.BenchmarkView> before = view.benchmarks();
            assertThat(before).as("the default benchmarks, read from the store").isNotEmpty();
            assertThat(view.storedDataAvailable()).isTrue();

            db.stop();
            awaitStatus(client, "/health", 503);

            String[] paths = {"/metrics", "/health/live", "/health", "/health/ready",
                    "/api/rollups?domain=core&kpi=success", "/api/cognition/status", "/api/plugins"};
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<Timed>> answers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    for (String path : paths) {
                        answers.add(clients.submit(() -> {
                            long t0 = System.nanoTime();
                            AdminClient.Reply r = client.get(path);
                            return new Timed(path, r, Duration.ofNanos(System.nanoTime() - t0));
                        }));
                    }
                }
                for (Future<Timed> f : answers) {
                    Timed t = f.get();
                    assertThat(t.took()).as(t.path()).isLessThan(BOUND);
                    assertThat(t.reply().body()).as(t.path()).doesNotContain("\tat ").doesNotContain("Exception");
                    int expected = switch (t.path()) {
                        case "/metrics", "/health/live", "/api/plugins" -> 200;
                        default -> 503;
                    };
                    assertThat(t.reply().status()).as(t.path() + ": " + t.reply().body()).isEqualTo(expected);
                    if (t.path().startsWith("/api/rollups") || t.path().startsWith("/api/cognition")) {
                        assertThat(t.reply().contentType()).startsWith("application/problem+json");
                        assertThat(t.reply().json().get("detail").asText()).startsWith("the store does not answer");
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            var families = AdminHttpTest.parse(client.get("/metrics").body());
            assertThat(AdminHttpTest.value(families, "grace_store_up", Map.of())).isEqualTo(0.0);
            assertThat(AdminHttpTest.value(families, "grace_values_accepted_total", Map.of("publisher", "good")))
                    .isEqualTo(1.0);
            assertThat(families).as("scores it cannot read are left out").doesNotContainKey("grace_cognition_score_ratio");

            // the plugin reads what the store holds during the outage: memory and the last list, no exception
            assertThat(view.storedDataAvailable()).isFalse();
            assertThat(view.benchmarks()).isEqualTo(before);
            assertThat(view.hourly("core", "success", clock.instant().minus(Duration.ofHours(1))))
                    .singleElement().satisfies(h -> assertThat(h.count()).isEqualTo(1));
            assertThat(runtime.plugins()).singleElement().satisfies(p -> assertThat(p.state()).isEqualTo(PluginState.RUNNING));

            db = Server.createTcpServer(args).start();
            awaitStatus(client, "/health", 200);
            awaitStatus(client, "/api/cognition/status", 200);
        } finally {
            db.stop();
        }
    }

    private record Timed(String path, AdminClient.Reply reply, Duration took) {
    }

    private static void awaitStatus(AdminClient client, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        AdminClient.Reply r = client.get(path);
        while (r.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
            r = client.get(path);
        }
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(status);
    }
}
