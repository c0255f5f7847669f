package dev.grace.plugins.federation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker on the runtime's clock. CLOSED lets calls through and counts consecutive
 * failures; at {@code failureThreshold} of them it turns OPEN and refuses calls for
 * {@code coolDown}; the first call after that is a trial (HALF_OPEN): success closes the breaker,
 * failure opens it for another cool-down. Not thread-safe: a connector is called from one thread.
 */
public final class CircuitBreaker {

    /** Where a breaker stands. */
    public enum State {
        /** Calls pass; failures are counted. */
        CLOSED,
        /** Calls are refused until the cool-down has passed. */
        OPEN,
        /** One trial call is let through. */
        HALF_OPEN
    }

    private final int failureThreshold;
    private final Duration coolDown;
    private final Clock clock;
    private State state = State.CLOSED;
    private int failures;
    private Instant openedAt;

    /**
     * @param failureThreshold consecutive failed calls that open the breaker, at least 1
     * @param coolDown         how long it stays open before a trial call, positive
     */
    public CircuitBreaker(int failureThreshold, Duration coolDown, Clock clock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1, got " + failureThreshold);
        }
        if (coolDown.isZero() || coolDown.isNegative()) {
            throw new IllegalArgumentException("coolDown must be positive, got " + coolDown);
        }
        this.failureThreshold = failureThreshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /** Whether a call may go out now; an open breaker whose cool-down has passed turns half-open and lets one through. */
    public boolean allows() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(coolDown))) {
            state = State.HALF_OPEN;
        }
        return state != State.OPEN;
    }

    /** A call went through and succeeded. */
    public void onSuccess() {
        state = State.CLOSED;
        failures = 0;
    }

    /** A call went through and failed (after its retries). */
    public void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= failureThreshold) {
            state = State.OPEN;
            openedAt = clock.instant();
        }
    }

    /** Where it stands now (an open breaker whose cool-down has passed still reads OPEN until the next call). */
    public State state() {
        return state;
    }

    /** Consecutive failed calls so far. */
    public int failures() {
        return failures;
    }
}
