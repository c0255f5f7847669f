package dev.grace.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private final Backoff backoff = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30));

    @Test
    void theCeilingGrowsByTheMultiplierFromInitialUpToMax() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.ceiling(9)).isEqualTo(Duration.ofMillis(25_600));
        assertThat(backoff.ceiling(10)).as("51.2 s capped").isEqualTo(Duration.ofSeconds(30));
        assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 1.5).ceiling(3))
                .isEqualTo(Duration.ofMillis(2250));
    }

    @Test
    void everyDelayIsWithinHalfTheCeilingAndTheCeilingCappedAtMax() {
        for (int attempt = 1; attempt <= 40; attempt++) {
            Duration ceiling = backoff.ceiling(attempt);
            assertThat(ceiling).isLessThanOrEqualTo(backoff.max());
            for (int draw = 0; draw < 200; draw++) {
                assertThat(backoff.delay(attempt)).as("attempt %d", attempt)
                        .isBetween(ceiling.dividedBy(2), ceiling);
            }
        }
    }

    @Test
    void theUpperBoundNeverDecreases() {
        Duration previous = Duration.ZERO;
        for (int attempt = 1; attempt <= 2_000; attempt++) {
            Duration ceiling = backoff.ceiling(attempt);
            assertThat(ceiling).as("attempt %d", attempt).isGreaterThanOrEqualTo(previous);
            previous = ceiling;
        }
    }

    @Test
    void theSameAttemptDrawsDifferentDelays() {
        Set<Duration> delays = new HashSet<>();
        for (int draw = 0; draw < 100; draw++) {
            delays.add(backoff.delay(5));
        }
        assertThat(delays).as("1.6 s ceiling, jittered over 0.8 s of nanoseconds").hasSizeGreaterThan(50);
    }

    @Test
    void aMillionthAttemptWaitsMaxWithoutOverflowing() {
        assertThat(backoff.ceiling(1_000_000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1_000_000)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        Backoff forever = new Backoff(Duration.ofDays(1), Duration.ofDays(365L * 1000), 10);
        assertThat(forever.ceiling(1_000_000)).as("saturated at what a long of nanoseconds holds")
                .isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        assertThat(forever.delay(1_000_000)).isPositive();
    }

    @Test
    void aZeroInitialRetriesAtOnce() {
        Backoff atOnce = new Backoff(Duration.ZERO, Duration.ZERO, 1);
        assertThat(atOnce.delay(1)).isZero();
        assertThat(atOnce.delay(7)).isZero();
    }

    @Test
    void badArgumentsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoff initial must be zero or more, got PT-0.001S");
        assertThatThrownBy(() -> new Backoff(null, Duration.ofSeconds(1), 2))
                .hasMessage("backoff initial must be zero or more, got null");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .hasMessage("backoff max must be at least initial (PT2S), got PT1S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), null, 2))
                .hasMessage("backoff max must be at least initial (PT1S), got null");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
                .hasMessage("backoff multiplier must be a finite number of at least 1, got 0.5");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN))
                .hasMessageStartingWith("backoff multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.POSITIVE_INFINITY))
                .hasMessageStartingWith("backoff multiplier");
        assertThatThrownBy(() -> backoff.delay(0))
                .hasMessage("backoff attempt must be 1 or more (1 is the first retry), got 0");
    }
}
