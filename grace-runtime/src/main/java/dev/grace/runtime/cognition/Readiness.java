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
 * @param flags          the guard's active flags on health-bearing KPIs, every domain
 */
public record Readiness(Instant hour, List<BenchmarkState> benchmarks, boolean elevationReady, List<String> nextSteps,
                        List<KpiFlag> flags) {

    public Readiness {
        benchmarks = List.copyOf(benchmarks);
        nextSteps = List.copyOf(nextSteps);
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    /** Readiness without flags. */
    public Readiness(Instant hour, List<BenchmarkState> benchmarks, boolean elevationReady, List<String> nextSteps) {
        this(hour, benchmarks, elevationReady, nextSteps, List.of());
    }
}
