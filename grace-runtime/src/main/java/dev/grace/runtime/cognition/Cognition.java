package dev.grace.runtime.cognition;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Cognition over one store: the read side ({@link CognitionReader}) and the hourly evaluation.
 * A running runtime evaluates by itself, shortly after each hour ends; {@code grace benchmark run}
 * and tests call {@link #evaluateDue()} directly. Evaluating is safe from several runtimes at once:
 * each hour is evaluated once.
 */
public interface Cognition extends CognitionReader {

    /**
     * Evaluates every hour that is due and not yet evaluated, oldest first, back to the longest
     * benchmark window: writes its scores, benchmark history and readiness events, then sends its
     * alerts. Does nothing while another runtime holds the evaluation lease.
     *
     * @return the judgements written, in order; empty when nothing was due
     */
    List<BenchmarkState> evaluateDue();

    /**
     * One hour's judgements: as written, when the hour was evaluated; otherwise as they would be
     * now. Writes nothing.
     */
    List<BenchmarkState> evaluation(Instant hour);

    /** The latest evaluated hour, if any. */
    Optional<Instant> lastEvaluatedHour();
}
