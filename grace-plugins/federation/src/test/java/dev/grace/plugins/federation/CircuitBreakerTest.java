package dev.grace.plugins.federation;

import dev.grace.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.grace.plugins.federation.CircuitBreaker.State.CLOSED;
import static dev.grace.plugins.federation.CircuitBreaker.State.HALF_OPEN;
import static dev.grace.plugins.federation.CircuitBreaker.State.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CircuitBreakerTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);

    @Test
    void opensAtTheThresholdOfConsecutiveFailuresAndASuccessResetsTheCount() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(breaker.allows()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(breaker.allows()).isFalse();
    }

    @Test
    void refusesForTheCoolDownThenLetsOneTrialThroughThatClosesItOnSuccess() {
        open();
        clock.advance(Duration.ofSeconds(29));
        assertThat(breaker.allows()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.allows()).isTrue();
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(breaker.failures()).isZero();
    }

    @Test
    void aFailedTrialOpensItForAnotherFullCoolDown() {
        open();
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.allows()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(OPEN);
        clock.advance(Duration.ofSeconds(29));
        assertThat(breaker.allows()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.allows()).isTrue();
    }

    @Test
    void refusesANonsensicalThresholdOrCoolDown() {
        assertThatThrownBy(() -> new CircuitBreaker(0, Duration.ofSeconds(1), clock))
                .hasMessage("failureThreshold must be at least 1, got 0");
        assertThatThrownBy(() -> new CircuitBreaker(1, Duration.ZERO, clock))
                .hasMessage("coolDown must be positive, got PT0S");
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        assertThat(breaker.state()).isEqualTo(OPEN);
    }
}
