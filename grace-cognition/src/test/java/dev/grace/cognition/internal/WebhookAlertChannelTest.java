package dev.grace.cognition.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook's retry waits; delivery and failure reporting are CognitionContract's, against a real server. */
class WebhookAlertChannelTest {

    @Test
    void retriesWaitADoublingBackoffJitteredBetweenHalfAndAll() {
        // nothing is sent: the waits are computed without queuing an alert
        try (WebhookAlertChannel channel = new WebhookAlertChannel("http://127.0.0.1:9/alerts", Duration.ofSeconds(1),
                3, Duration.ofSeconds(1), line -> { })) {
            Set<Duration> firstWaits = new HashSet<>();
            for (int draw = 0; draw < 100; draw++) {
                Duration first = channel.pause(1);
                assertThat(first).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
                firstWaits.add(first);
                assertThat(channel.pause(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            }
            assertThat(firstWaits).as("runtimes alerting together do not retry in step").hasSizeGreaterThan(10);
        }
    }
}
