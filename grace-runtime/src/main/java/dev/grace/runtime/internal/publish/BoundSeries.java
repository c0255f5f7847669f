package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.runtime.internal.rollup.KpiAccumulator;

import java.util.Map;

/**
 * A series bound by {@link SafePublisher#series}: its accumulator and the publisher that validates,
 * counts and hands raw events on. {@link #record(double)} is the publisher's hot path on that
 * accumulator, so a bound series costs what {@code record(Kpi, double)} costs minus the KPI lookup.
 */
final class BoundSeries implements Kpi.Series {

    private final SafePublisher publisher;
    private final KpiAccumulator accumulator;
    private final Map<String, String> attributes;

    BoundSeries(SafePublisher publisher, KpiAccumulator accumulator, Map<String, String> attributes) {
        this.publisher = publisher;
        this.accumulator = accumulator;
        this.attributes = attributes;
    }

    @Override
    public boolean record(double value) {
        return publisher.recordOn(accumulator, value);
    }

    @Override
    public Kpi kpi() {
        return accumulator.kpi();
    }

    @Override
    public Map<String, String> attributes() {
        return attributes;
    }

    /** The series' key as stored: {@code ""} for the total, {@code _overflow} for the overflow series. */
    String seriesKey() {
        return accumulator.series();
    }

    @Override
    public String toString() {
        return accumulator.kpi().name() + (accumulator.series().isEmpty() ? "" : "{" + accumulator.series() + "}");
    }
}
