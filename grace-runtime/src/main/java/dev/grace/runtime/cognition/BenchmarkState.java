package dev.grace.runtime.cognition;

import java.time.Instant;

/**
 * A benchmark as judged at one hour.
 *
 * @param name        the benchmark's name, for example {@code overall_health} or {@code domain_health}
 * @param metric      the metric judged, for example {@code overall.health} or {@code security.health}
 * @param threshold   the value it must reach
 * @param direction   {@code at_least} or {@code at_most}
 * @param windowHours how many consecutive hours must meet the threshold for it to be sustained
 * @param minSamples  hours with a value the window needs before it is judged at all
 * @param hour        the hour judged
 * @param value       the metric's value in that hour; null in a gap
 * @param samples     hours with a value in the window ending at that hour
 * @param state       {@code insufficient}, {@code below}, {@code met} or {@code sustained}
 * @param missing     for people: what is missing to be sustained; empty when sustained
 */
public record BenchmarkState(String name, String metric, double threshold, String direction, int windowHours,
                             int minSamples, Instant hour, Double value, int samples, String state, String missing) {

    /** Whether the whole window met the threshold. */
    public boolean sustained() {
        return "sustained".equals(state);
    }
}
