package dev.grace.runtime.cognition;

import java.time.Instant;
import java.util.List;

/**
 * Every benchmark's latest judgement.
 *
 * @param hour           the latest evaluated hour; null before the first evaluation
 * @param benchmarks     each benchmark, overall ones first
 * @param elevationReady whether every readiness benchmark is sustained over its whole window
 * @param nextSteps      for people: what to improve first, most urgent first
 */
public record Readiness(Instant hour, List<BenchmarkState> benchmarks, boolean elevationReady, List<String> nextSteps) {

    public Readiness {
        benchmarks = List.copyOf(benchmarks);
        nextSteps = List.copyOf(nextSteps);
    }
}
