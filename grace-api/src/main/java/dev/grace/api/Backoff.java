package dev.grace.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before a retry: exponential backoff with equal jitter. The ceiling before retry
 * {@code n} (1 for the first retry) is {@code initial × multiplier^(n-1)}, capped at {@code max}; the
 * wait is drawn uniformly from [ceiling/2, ceiling].
 *
 * <p>Equal jitter, not full jitter ([0, ceiling]): full jitter spreads a herd of retries a little
 * wider, but it may wait almost nothing, so a retry could hit a service, a database or a plugin
 * that has just failed at once, and the backoff would no longer grow for certain from one retry to
 * the next. Half the ceiling is always waited; the other half spreads the runtimes or plugins that
 * failed together.
 *
 * <p>The policy only computes delays; each caller keeps its own loop: a thread that parks, a
 * scheduler that reschedules, a supervisor that sets a restart time on its clock. {@link #ceiling}
 * is the deterministic upper bound, for tests and for messages that name the longest wait.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.doubling(Duration.ofMillis(200), Duration.ofSeconds(30));
 * Thread.sleep(backoff.delay(attempt).toMillis());
 * }</pre>
 *
 * @param initial    the ceiling before the first retry; zero means retry at once, every time
 * @param max        the largest ceiling, however many retries
 * @param multiplier how much the ceiling grows from one retry to the next, at least 1
 * @since 0.1.0
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

    /**
     * @throws IllegalArgumentException when a field is missing or out of range; the message names it
     */
    public Backoff {
        if (initial == null || initial.isNegative()) {
            throw new IllegalArgumentException("backoff initial must be zero or more, got " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max must be at least initial (" + initial + "), got " + max);
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number of at least 1, got "
                    + multiplier);
        }
    }

    /**
     * A backoff that doubles from {@code initial} up to {@code max}.
     *
     * @since 0.1.0
     */
    public static Backoff doubling(Duration initial, Duration max) {
        return new Backoff(initial, max, 2);
    }

    /**
     * The longest wait before retry {@code attempt}, without jitter: {@code initial × multiplier^(attempt-1)},
     * at most {@code max}. Never decreases as {@code attempt} grows, and never overflows.
     *
     * @param attempt 1 for the first retry, 2 for the second, ...
     * @throws IllegalArgumentException for an attempt below 1
     * @since 0.1.0
     */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("backoff attempt must be 1 or more (1 is the first retry), got "
                    + attempt);
        }
        long maxNanos = nanos(max);
        // in doubles: the power overflows to infinity, never to a negative long
        double nanos = nanos(initial) * Math.pow(multiplier, attempt - 1.0);
        return nanos >= maxNanos ? Duration.ofNanos(maxNanos) : Duration.ofNanos((long) nanos);
    }

    /**
     * The wait before retry {@code attempt}: uniformly in [ceiling/2, ceiling] of {@link #ceiling(int)}.
     *
     * @param attempt 1 for the first retry, 2 for the second, ...
     * @throws IllegalArgumentException for an attempt below 1
     * @since 0.1.0
     */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toNanos();
        long half = ceiling / 2;
        // Random on purpose: the jitter only spreads retries in time. No KPI value, rollup or score
        // is computed from it; what is measured and stored never depends on this draw.
        return Duration.ofNanos(ceiling - ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** In nanoseconds, saturated: a wait beyond about 292 years is as good as forever. */
    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
