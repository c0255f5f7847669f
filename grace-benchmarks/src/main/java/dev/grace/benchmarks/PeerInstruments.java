package dev.grace.benchmarks;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a plugin author would use instead of a Grace KPI, each set up the way its documentation
 * shows and resolved to a handle once. Each is {@link Scope#Benchmark}: with several threads they
 * all record into the one shared instrument, as a plugin's threads would.
 */
public final class PeerInstruments {

    private PeerInstruments() {
    }

    /** Micrometer: a distribution summary with a percentile histogram, on the in-memory registry. */
    @State(Scope.Benchmark)
    public static class Micrometer {
        SimpleMeterRegistry registry;
        DistributionSummary summary;

        /** The tags of {@link RecordBenchmark#ATTRIBUTES}, built once. */
        final Tags tags = Tags.of("connector", "billing");

        @Setup
        public void setUp() {
            registry = new SimpleMeterRegistry();
            summary = DistributionSummary.builder(RecordBenchmark.KPI_NAME)
                    .baseUnit("milliseconds")
                    .publishPercentileHistogram()
                    .register(registry);
            tagged(); // registered once; each benchmark call then finds it by name and tags
        }

        /** Micrometer's idiom for a tag known only at the call: build and register, which finds the meter registered before. */
        DistributionSummary tagged() {
            return DistributionSummary.builder(RecordBenchmark.KPI_NAME + "_by_connector")
                    .baseUnit("milliseconds")
                    .tags(tags)
                    .publishPercentileHistogram()
                    .register(registry);
        }

        @TearDown
        public void tearDown() {
            registry.close();
        }
    }

    /**
     * OpenTelemetry SDK: a double histogram aggregated as a base-2 exponential histogram, read by a
     * reader that never collects on its own.
     */
    @State(Scope.Benchmark)
    public static class OpenTelemetry {
        SdkMeterProvider provider;
        DoubleHistogram histogram;
        /** {@link RecordBenchmark#ATTRIBUTES} as OpenTelemetry attributes, built once as its docs advise. */
        final Attributes attributes = Attributes.of(AttributeKey.stringKey("connector"), "billing");

        @Setup
        public void setUp() {
            provider = SdkMeterProvider.builder()
                    .registerMetricReader(new PullOnlyMetricReader())
                    .registerView(InstrumentSelector.builder().setName(RecordBenchmark.KPI_NAME).build(),
                            View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
                    .build();
            histogram = provider.get("bench").histogramBuilder(RecordBenchmark.KPI_NAME).setUnit("ms").build();
        }

        @TearDown
        public void tearDown() {
            provider.close();
        }
    }

    /** Dropwizard: a registry histogram with its default, exponentially decaying reservoir. */
    @State(Scope.Benchmark)
    public static class Dropwizard {
        Histogram histogram;

        @Setup
        public void setUp() {
            histogram = new MetricRegistry().histogram(RecordBenchmark.KPI_NAME);
        }
    }

    /** The floor: a count and a sum in striped adders, the least any aggregation can do. */
    @State(Scope.Benchmark)
    public static class Adders {
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();
    }
}
