package dev.grace.cognition.internal;

import dev.grace.runtime.config.BenchmarkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured benchmarks and the thresholds changed at runtime ({@code grace cognition threshold},
 * the admin API). A change applies from the next evaluated hour on; hours already evaluated keep the
 * threshold they were judged against.
 */
final class Thresholds {

    private final List<BenchmarkSpec> configured;
    private final Map<String, Double> overrides = new ConcurrentHashMap<>();

    Thresholds(List<BenchmarkSpec> configured) {
        this.configured = List.copyOf(configured);
    }

    /** The benchmarks as configured, without runtime changes. */
    List<BenchmarkSpec> configured() {
        return configured;
    }

    /** The benchmarks in force, with thresholds changed at runtime applied. */
    List<BenchmarkSpec> specs() {
        List<BenchmarkSpec> out = new ArrayList<>(configured.size());
        for (BenchmarkSpec s : configured) {
            Double t = overrides.get(s.name());
            out.add(t == null ? s : s.withThreshold(t));
        }
        return out;
    }

    /** Changes a benchmark's threshold from the next evaluated hour on; false for an unknown name or a bad value (outside [0, 1] for a score, not finite for a series). */
    boolean set(String benchmark, double threshold) {
        if (configured.stream().noneMatch(s -> s.name().equals(benchmark) && s.takes(threshold))) {
            return false;
        }
        overrides.put(benchmark, threshold);
        return true;
    }
}
