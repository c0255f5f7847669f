package dev.grace.plugins.federation;

import dev.grace.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connectors against a real JDK HTTP server on loopback. */
class ConnectorTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final List<Duration> pauses = new ArrayList<>();
    private LoopbackServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Connector connector(URI url, Duration timeout, int retries, int threshold) {
        ConnectorSpec spec = new ConnectorSpec("svc", url, timeout, retries, Duration.ofMillis(100), threshold,
                Duration.ofSeconds(30));
        return new Connector(spec, Connector.client(spec), new CircuitBreaker(threshold, spec.coolDown(), clock),
                pauses::add);
    }

    @Test
    void aHealthyServiceSucceedsAtOnceWithItsMeasuredLatency() throws Exception {
        server = new LoopbackServer();
        Call call = connector(server.health(), Duration.ofSeconds(2), 2, 3).call();
        assertThat(call.outcome()).isEqualTo(Call.Outcome.SUCCEEDED);
        assertThat(call.attempts()).isEqualTo(1);
        assertThat(call.latency().getAsDouble()).isPositive().isLessThan(2.0);
        assertThat(pauses).isEmpty();
    }

    @Test
    void retriesWithDoublingBackoffUntilAnAttemptSucceeds() throws Exception {
        server = new LoopbackServer();
        server.answer(503, 500);
        Call call = connector(server.health(), Duration.ofSeconds(2), 2, 3).call();
        assertThat(call.outcome()).isEqualTo(Call.Outcome.SUCCEEDED);
        assertThat(call.attempts()).isEqualTo(3);
        assertThat(server.requests()).isEqualTo(3);
        assertThat(pauses).hasSize(2);
        assertThat(pauses.get(0)).as("100 ms, jittered").isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(pauses.get(1)).as("doubled, jittered").isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void anAttemptWithoutAnAnswerWithinTheTimeoutFailsAndIsRetried() throws Exception {
        server = new LoopbackServer();
        server.answer(LoopbackServer.HANG, LoopbackServer.HANG);
        long started = System.nanoTime();
        Call call = connector(server.health(), Duration.ofMillis(200), 1, 3).call();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(call.outcome()).isEqualTo(Call.Outcome.FAILED);
        assertThat(call.attempts()).isEqualTo(2);
        assertThat(call.cause()).isEqualTo("no response within 200 ms");
        assertThat(seconds).as("two attempts of 200 ms, not the server's 10 s").isBetween(0.35, 5.0);
    }

    @Test
    void theBreakerOpensAfterTheThresholdRefusesWithoutCallingAndClosesAfterASuccessfulTrial() throws Exception {
        server = new LoopbackServer();
        server.otherwise(500);
        Connector c = connector(server.health(), Duration.ofSeconds(2), 0, 2);
        assertThat(c.call().cause()).isEqualTo("HTTP 500");
        assertThat(c.call().outcome()).isEqualTo(Call.Outcome.FAILED);
        assertThat(c.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);

        Call refused = c.call();
        assertThat(refused.outcome()).isEqualTo(Call.Outcome.REFUSED);
        assertThat(refused.attempts()).isZero();
        assertThat(server.requests()).as("the open breaker sent nothing").isEqualTo(2);

        server.otherwise(200);
        clock.advance(Duration.ofSeconds(30));
        assertThat(c.call().outcome()).isEqualTo(Call.Outcome.SUCCEEDED);
        assertThat(c.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void aRefusedConnectionFailsWithItsCause() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Call call = connector(URI.create("http://127.0.0.1:" + port + "/health"), Duration.ofSeconds(2), 1, 3).call();
        assertThat(call.outcome()).isEqualTo(Call.Outcome.FAILED);
        assertThat(call.cause()).startsWith("ConnectException");
        assertThat(pauses).singleElement().satisfies(p -> assertThat(p).isBetween(Duration.ofMillis(50),
                Duration.ofMillis(100)));
    }

    @Test
    void retryWaitsAreJitteredSoConnectorsFailingTogetherDoNotRetryInStep() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Connector c = connector(URI.create("http://127.0.0.1:" + port + "/health"), Duration.ofSeconds(2), 1, 100);
        for (int call = 0; call < 20; call++) {
            assertThat(c.call().outcome()).isEqualTo(Call.Outcome.FAILED);
        }
        assertThat(pauses).hasSize(20).allSatisfy(p -> assertThat(p).isBetween(Duration.ofMillis(50),
                Duration.ofMillis(100)));
        assertThat(new HashSet<>(pauses)).as("the first retry's wait, drawn 20 times").hasSizeGreaterThan(1);
    }

    @Test
    void aConnectorItemIsReadFieldByFieldWithTheDefaultsForTheRest() {
        ConnectorSpec defaults = new ConnectorSpec("defaults", URI.create("http://localhost/"), Duration.ofSeconds(2),
                2, Duration.ofMillis(200), 3, Duration.ofSeconds(30));
        ConnectorSpec s = ConnectorSpec.parse("plugins.federation.connectors[0]",
                "name=billing url=https://billing.example/health timeout=500ms retries=0", defaults);
        assertThat(s).isEqualTo(new ConnectorSpec("billing", URI.create("https://billing.example/health"),
                Duration.ofMillis(500), 0, Duration.ofMillis(200), 3, Duration.ofSeconds(30)));
        assertThatThrownBy(() -> ConnectorSpec.parse("plugins.federation.connectors[1]", "name=x url=ftp://x/", defaults))
                .hasMessage("plugins.federation.connectors[1] field url must be an http or https URL, got \"ftp://x/\"");
        assertThatThrownBy(() -> ConnectorSpec.parse("plugins.federation.connectors[1]", "name=x url=http://x/ timeout=soon", defaults))
                .hasMessage("plugins.federation.connectors[1] field timeout must be a duration such as 500ms, 30s, 2h or PT2H, got \"soon\"");
        assertThatThrownBy(() -> ConnectorSpec.parse("plugins.federation.connectors[1]", "name=x url=http://x/ retries=-1", defaults))
                .hasMessage("plugins.federation.connectors[1]: connector x: retries must be between 0 and 10, got -1");
        assertThatThrownBy(() -> ConnectorSpec.parse("plugins.federation.connectors[1]", "url=http://x/ tries=2", defaults))
                .hasMessageStartingWith("plugins.federation.connectors[1]: unknown field \"tries\"");
    }
}
