package dev.grace.cognition.internal;

import dev.grace.api.Backoff;
import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.AlertChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * POSTs each alert as JSON to a URL from a thread of its own, retrying with doubling, jittered backoff. The
 * evaluator only queues: a slow or failing webhook never blocks it. A bounded queue (1024 alerts)
 * drops and counts when the webhook cannot keep up; an alert that still fails after every retry is
 * counted and reported to {@code failed} (which writes a {@code delivery_failed} alert to the file).
 */
public final class WebhookAlertChannel implements AlertChannel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAlertChannel.class);

    private final URI url;
    private final Duration timeout;
    private final int retries;
    private final Backoff backoff;
    private final Consumer<String> failed;
    private final HttpClient client;
    private final BlockingQueue<Alert> queue = new ArrayBlockingQueue<>(1024);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    /** Whether an alert is being delivered right now (taken off the queue, not yet done). */
    private volatile boolean delivering;

    /**
     * @param backoff the wait before the first retry, doubling for each later one, jittered
     * @param failed  told, in one line, about each alert given up on
     * @throws IllegalArgumentException for a URL that is not http or https
     */
    public WebhookAlertChannel(String url, Duration timeout, int retries, Duration backoff, Consumer<String> failed) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cognition.webhookUrl '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("cognition.webhookUrl '" + url + "' must be an http or https URL with a host");
        }
        this.url = uri;
        this.timeout = timeout;
        this.retries = retries;
        // at most 10 retries, so the cap (where the old shift stopped doubling) is never reached
        this.backoff = Backoff.doubling(backoff, backoff.multipliedBy(1024));
        this.failed = failed;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.thread = new Thread(this::run, "grace-alert-webhook");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(Alert alert) {
        if (!queue.offer(alert)) {
            dropped.incrementAndGet();
            failures.incrementAndGet();
        }
    }

    public long delivered() {
        return delivered.get();
    }

    /** Alerts given up on after every retry, or dropped because the queue was full. */
    public long failures() {
        return failures.get();
    }

    private void run() {
        while (running) {
            Alert alert;
            try {
                alert = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (alert != null) {
                delivering = true;
                try {
                    deliver(alert);
                } finally {
                    delivering = false;
                }
            }
        }
    }

    /** The wait before retry {@code retry} (1 for the first). */
    Duration pause(int retry) {
        return backoff.delay(retry);
    }

    private void deliver(Alert alert) {
        String body;
        try {
            body = AlertJson.MAPPER.writeValueAsString(alert);
        } catch (Exception e) {
            failures.incrementAndGet();
            return;
        }
        String problem = null;
        for (int attempt = 0; attempt <= retries && running; attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(pause(attempt).toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(url).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                    return;
                }
                problem = "HTTP " + r.statusCode();
            } catch (java.net.http.HttpTimeoutException e) {
                problem = "no answer within " + timeout;
            } catch (java.io.IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        failures.incrementAndGet();
        String line = "webhook " + url + " failed for " + alert.type() + " " + alert.subject() + " after "
                + (retries + 1) + " attempts: " + problem;
        LOG.warn(line);
        try {
            failed.accept(line);
        } catch (RuntimeException e) {
            LOG.warn("reporting a failed webhook delivery failed too: {}", e.getMessage());
        }
    }

    /**
     * Gives queued alerts up to 10 seconds to be delivered (a short-lived {@code grace benchmark
     * run} must not lose what it raised), then stops; what is still queued is counted as failed.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while ((!queue.isEmpty() || delivering) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running = false;
        thread.interrupt();
        int left = queue.size();
        if (left > 0) {
            failures.addAndGet(left);
            LOG.warn("closing: {} alerts for webhook {} were not delivered", left, url);
        }
    }
}
