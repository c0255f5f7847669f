package dev.grace.plugins.transcendence;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a {@link Plan}: work to run, the tasks that must succeed first, how many times to retry
 * it after a failed attempt, how long one attempt may take, and optionally how long it is expected
 * to take.
 *
 * @param id        unique within the plan, {@code [a-z][a-z0-9_-]*}
 * @param dependsOn ids of tasks that must succeed before this one runs
 * @param retries   attempts after the first that a failure or timeout allows (0 = one attempt only)
 * @param timeout   the most one attempt may take; a slower attempt is interrupted and counts as failed
 * @param estimate  how long the task is expected to take, if the submitter knows; when empty, the
 *                  orchestrator estimates from the task's earlier runs
 * @param work      what the task does; it fails by throwing, or declines by throwing {@link Skipped}
 */
public record Task(String id, List<String> dependsOn, int retries, Duration timeout, Optional<Duration> estimate,
                   Work work) {

    /**
     * A task's work. Throwing fails the attempt, except {@link Skipped}; an interrupt means the attempt
     * timed out.
     */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /**
     * Thrown by work that has nothing it can or should do now (not applicable here, or not due): the
     * task ends {@link TaskReport.Outcome#SKIPPED} with this message as its cause, is not retried, does
     * not count in {@link PlanReport#taskSuccess()}, and does not hold back the tasks that depend on it.
     */
    public static final class Skipped extends Exception {
        private static final long serialVersionUID = 1L;

        public Skipped(String why) {
            super(why, null, false, false);
        }
    }

    public Task {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("task id must match [a-z][a-z0-9_-]*, got \"" + id + "\"");
        }
        dependsOn = List.copyOf(dependsOn);
        if (retries < 0) {
            throw new IllegalArgumentException("task " + id + ": retries must not be negative, got " + retries);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("task " + id + ": timeout must be positive, got " + timeout);
        }
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(work, "work");
    }

    /** Starts describing a task; defaults: no dependencies, no retries, a 1-minute timeout, no estimate. */
    public static Builder builder(String id, Work work) {
        return new Builder(id, work);
    }

    /** Fluent construction of a {@link Task}. */
    public static final class Builder {
        private final String id;
        private final Work work;
        private List<String> dependsOn = List.of();
        private int retries;
        private Duration timeout = Duration.ofMinutes(1);
        private Optional<Duration> estimate = Optional.empty();

        private Builder(String id, Work work) {
            this.id = id;
            this.work = work;
        }

        /** Tasks that must succeed before this one runs. */
        public Builder dependsOn(String... ids) {
            this.dependsOn = List.of(ids);
            return this;
        }

        /** Attempts allowed after a failed first one. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** The most one attempt may take. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** How long the task is expected to take. */
        public Builder estimate(Duration estimate) {
            this.estimate = Optional.of(estimate);
            return this;
        }

        /** The task; throws {@link IllegalArgumentException} naming what is wrong with it. */
        public Task build() {
            return new Task(id, dependsOn, retries, timeout, estimate, work);
        }
    }
}
