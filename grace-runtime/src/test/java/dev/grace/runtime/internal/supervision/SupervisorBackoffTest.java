package dev.grace.runtime.internal.supervision;

import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait before a restart alone; the restart sequence itself is SupervisionTest's, under a manual clock. */
class SupervisorBackoffTest {

    private static Supervisor supervisor(Duration backoff, Duration maxBackoff) {
        // the runner and events are not called to compute a wait
        return new Supervisor(Clock.systemUTC(), new GraceConfig.Supervision(Duration.ofSeconds(10), 5,
                Duration.ofHours(1), backoff, maxBackoff), Duration.ofSeconds(5), null, null);
    }

    @Test
    void theRestartWaitDoublesUpToTheMaximumJitteredBetweenHalfAndAll() {
        Supervisor s = supervisor(Duration.ofSeconds(1), Duration.ofMinutes(5));
        Set<Duration> firstWaits = new HashSet<>();
        for (int draw = 0; draw < 200; draw++) {
            Duration first = s.backoff(0);
            assertThat(first).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(first.toNanos() % 1_000_000).as("whole milliseconds, as the clock is read").isZero();
            firstWaits.add(first);
            assertThat(s.backoff(3)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            assertThat(s.backoff(40)).isBetween(Duration.ofMillis(150_000), Duration.ofMinutes(5));
        }
        assertThat(firstWaits).as("plugins that failed together do not restart in step").hasSizeGreaterThan(10);
    }

    @Test
    void aStartAboveTheMaximumWaitsTheMaximum() {
        Supervisor s = supervisor(Duration.ofMinutes(10), Duration.ofMinutes(5));
        assertThat(s.backoff(0)).isBetween(Duration.ofMillis(150_000), Duration.ofMinutes(5));
    }
}
