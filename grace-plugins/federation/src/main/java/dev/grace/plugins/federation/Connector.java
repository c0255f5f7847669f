package dev.grace.plugins.federation;

import dev.grace.api.Backoff;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * A connector to one external HTTP service: a GET of its URL with a timeout, retried with
 * exponential backoff ({@code backoff}, then twice that, ..., each wait jittered between half and all
 * of it by {@link Backoff}), behind a {@link CircuitBreaker}.
 * A call that fails after its retries counts once toward the breaker.
 */
public final class Connector {

    /** Waits between attempts; the plugin sleeps the thread, tests record the waits. */
    @FunctionalInterface
    public interface Pause {
        /** Waits {@code d}. */
        void pause(Duration d) throws InterruptedException;
    }

    private final ConnectorSpec spec;
    private final HttpClient client;
    private final CircuitBreaker breaker;
    private final Backoff backoff;
    private final Pause pause;

    public Connector(ConnectorSpec spec, HttpClient client, CircuitBreaker breaker, Pause pause) {
        this.spec = spec;
        this.client = client;
        this.breaker = breaker;
        // at most 10 retries, so the cap (where the old shift stopped doubling) is never reached
        this.backoff = Backoff.doubling(spec.backoff(), spec.backoff().multipliedBy(1L << 20));
        this.pause = pause;
    }

    /** Its configuration. */
    public ConnectorSpec spec() {
        return spec;
    }

    /** Its breaker. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Calls the service once, with retries, unless the breaker refuses. */
    public Call call() throws InterruptedException {
        if (!breaker.allows()) {
            return new Call(spec.name(), Call.Outcome.REFUSED, 0, OptionalDouble.empty(),
                    "circuit open after " + breaker.failures() + " failed calls");
        }
        HttpRequest request = HttpRequest.newBuilder(spec.url()).timeout(spec.timeout()).GET()
                .header("User-Agent", "grace-federation").build();
        String cause = "";
        int attempts = 0;
        for (int attempt = 0; attempt <= spec.retries(); attempt++) {
            if (attempt > 0) {
                pause.pause(backoff.delay(attempt));
            }
            attempts++;
            long started = System.nanoTime();
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                double seconds = (System.nanoTime() - started) / 1e9;
                if (response.statusCode() / 100 == 2) {
                    breaker.onSuccess();
                    return new Call(spec.name(), Call.Outcome.SUCCEEDED, attempts, OptionalDouble.of(seconds), "");
                }
                cause = "HTTP " + response.statusCode();
            } catch (HttpTimeoutException e) {
                cause = "no response within " + spec.timeout().toMillis() + " ms";
            } catch (IOException e) {
                cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        breaker.onFailure();
        return new Call(spec.name(), Call.Outcome.FAILED, attempts, OptionalDouble.empty(), cause);
    }

    /** An HTTP client for one connector: connecting is bounded by the connector's timeout too; redirects are followed. */
    public static HttpClient client(ConnectorSpec spec) {
        return HttpClient.newBuilder().connectTimeout(spec.timeout()).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public String toString() {
        return spec.name() + " " + spec.url();
    }
}
