package dev.grace.cognition.internal;

import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.config.CognitionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where cognition's alerts go: the log, the alerts file, the webhook, each for the alert types
 * configured for it, and the host's channels for every type. A channel that fails is counted and
 * logged; it never stops the others or the evaluation that raised the alert.
 */
final class AlertRoutes {

    /** CognitionEngine's logger, so that a logging configuration written for cognition keeps working. */
    private static final Logger LOG = LoggerFactory.getLogger(CognitionEngine.class);

    private final Clock clock;
    private final List<Route> routes = new ArrayList<>();
    private final AtomicLong alertFailures = new AtomicLong();
    private final FileAlertChannel file;
    private final WebhookAlertChannel webhook;

    /** A channel and the alert types it receives ({@code all} for every type). */
    private record Route(AlertChannel channel, List<String> types) {
        boolean wants(String type) {
            return types.contains("all") || types.contains(type);
        }
    }

    /**
     * @param alertsFile    the file alerts are appended to, and a webhook's given-up deliveries
     * @param extraChannels the host's channels; they receive every alert type
     * @throws IllegalArgumentException naming the config key for a bad webhook URL
     */
    AlertRoutes(CognitionConfig config, Path alertsFile, Clock clock, List<AlertChannel> extraChannels) {
        this.clock = clock;
        this.file = new FileAlertChannel(alertsFile);
        routes.add(new Route(new LogAlertChannel(), config.logAlerts()));
        routes.add(new Route(file, config.fileAlerts()));
        if (config.webhookUrl() != null) {
            webhook = new WebhookAlertChannel(config.webhookUrl(), config.webhookTimeout(), config.webhookRetries(),
                    Duration.ofSeconds(1), this::deliveryFailed);
            routes.add(new Route(webhook, config.webhookAlerts()));
        } else {
            webhook = null;
        }
        for (AlertChannel c : extraChannels) {
            routes.add(new Route(c, List.of("all")));
        }
    }

    /** Sends each alert to every channel that wants its type. */
    void send(List<Alert> alerts) {
        for (Alert a : alerts) {
            for (Route r : routes) {
                if (!r.wants(a.type())) {
                    continue;
                }
                try {
                    r.channel().send(a);
                } catch (Exception | LinkageError e) {
                    alertFailures.incrementAndGet();
                    LOG.warn("alert channel {} failed for {} {}: {}", r.channel().name(), a.type(), a.subject(),
                            e.toString());
                }
            }
        }
    }

    /** A webhook gave up on an alert: recorded in the file, so that {@code grace alerts} shows it. */
    private void deliveryFailed(String line) {
        Instant now = clock.instant();
        try {
            file.send(new Alert(now, now.truncatedTo(ChronoUnit.HOURS), "delivery_failed",
                    "webhook", null, null, line, Scores.GAP));
        } catch (Exception e) {
            alertFailures.incrementAndGet();
        }
    }

    /** Alerts that a channel failed to take or deliver. */
    long failures() {
        return alertFailures.get() + (webhook == null ? 0 : webhook.failures());
    }

    void close() {
        if (webhook != null) {
            webhook.close();
        }
    }
}
