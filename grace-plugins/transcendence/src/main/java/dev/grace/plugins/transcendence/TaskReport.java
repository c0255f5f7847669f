package dev.grace.plugins.transcendence;

import java.util.Optional;

/**
 * How one task of a plan run ended.
 *
 * @param id       the task
 * @param outcome  how it ended
 * @param attempts attempts made (0 when it never ran)
 * @param seconds  time spent in its attempts, from the monotonic timer
 * @param estimate the seconds it was expected to take, if an estimate existed
 * @param cause    why it failed or was skipped; empty when it succeeded
 */
public record TaskReport(String id, Outcome outcome, int attempts, double seconds, Optional<Double> estimate,
                         String cause) {

    /** How a task ended. */
    public enum Outcome {
        /** An attempt succeeded. */
        SUCCEEDED,
        /** Every attempt threw or timed out. */
        FAILED,
        /** Not run: a task it depends on did not succeed. */
        DEPENDENCY_FAILED,
        /** Its work declined with {@link Task.Skipped}: nothing it could or should do now. */
        SKIPPED
    }
}
