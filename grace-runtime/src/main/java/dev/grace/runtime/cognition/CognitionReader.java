package dev.grace.runtime.cognition;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What people read of cognition: the scores, the benchmarks' judgements, their history and the
 * alerts. Served by a running runtime ({@code GraceRuntime.cognition()}) and by the store on its
 * own (the CLI on a data directory), from the same tables.
 */
public interface CognitionReader {

    /** Every domain's scores and the overall scores for the current, open hour. */
    Status status();

    /** The scores of one past hour, as they were evaluated (or would be, if not yet). */
    Status status(Instant hour);

    /** Every benchmark's latest judgement and what is missing for readiness. */
    Readiness readiness();

    /**
     * One metric's benchmark history, oldest first: a row per evaluated hour since {@code since}.
     *
     * @param metric for example {@code overall.health} or {@code security.health}; a benchmark's name
     *               (for example {@code overall_health}) is accepted too
     * @throws IllegalArgumentException naming the known metrics when {@code metric} is unknown
     */
    List<BenchmarkState> history(String metric, Instant since);

    /** The latest alerts, newest first, at most {@code limit}. */
    List<Alert> alerts(int limit);

    /**
     * Writes the Markdown readiness report to {@code file}, and beside it one SVG chart per
     * benchmark (the last 7 days).
     *
     * @return the report's path
     */
    Path writeReport(Path file);
}
