package dev.grace.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path: recording one value through a handle resolved beforehand, in Grace and in what
 * plugin authors would pick instead. Every benchmark reads the same {@link ValueStream}.
 *
 * <p>Abstract so that one run measures every benchmark at each thread count with the same
 * settings: {@link RecordOneThread} and {@link RecordTwoThreads} differ only in {@code @Threads}.
 * With two threads both record into one shared instrument; contention is the point.
 *
 * <p>The defaults here are the full run's; {@code run.sh --quick} overrides them on the command line.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class RecordBenchmark {

    /** The one instrument or KPI every library records into. */
    static final String KPI_NAME = "latency";

    /** Small metadata, built once, as a plugin would keep it. */
    static final Map<String, String> METADATA = Map.of("region", "eu-west-1", "host", "bench-01");

    /** One series' attributes, built once, as a plugin would keep them. */
    static final Map<String, String> ATTRIBUTES = Map.of("connector", "billing");

    /** The hot path: a declared KPI constant, raw events off, so the record is the rollup alone. */
    @Benchmark
    public boolean graceRecord(GraceInstruments.RollupOnly grace, ValueStream values) {
        return grace.publisher.record(BenchPlugin.LATENCY, values.nextMillis());
    }

    /** The same with raw events on: the difference is the cost of handing each value to the raw-event queue. */
    @Benchmark
    public boolean graceRecordRawEvents(GraceInstruments.WithRawEvents grace, ValueStream values) {
        return grace.publisher.record(BenchPlugin.LATENCY, values.nextMillis());
    }

    /** A rejected value must be as cheap: validated, counted per reason, never thrown. */
    @Benchmark
    public boolean graceRecordNaN(GraceInstruments.RollupOnly grace, ValueStream values) {
        return grace.publisher.record(BenchPlugin.LATENCY, values.notANumber());
    }

    /** By name: the KPI is looked up on every call. */
    @Benchmark
    public boolean gracePublishByName(GraceInstruments.RollupOnly grace, ValueStream values) {
        return grace.publisher.publish(KPI_NAME, values.nextMillis());
    }

    /** By name, with metadata that must be validated. */
    @Benchmark
    public boolean gracePublishWithMetadata(GraceInstruments.RollupOnly grace, ValueStream values) {
        return grace.publisher.publish(KPI_NAME, values.nextMillis(), METADATA);
    }

    /** A series bound once ({@code publisher.series(kpi, "connector", "billing")}): target ≤ 1.2× {@link #graceRecord}, 0 B/op. */
    @Benchmark
    public boolean graceSeriesRecord(GraceInstruments.RollupOnly grace, ValueStream values) {
        return grace.series.record(values.nextMillis());
    }

    /** The bound series with raw events on: beside {@link #graceRecordRawEvents}. */
    @Benchmark
    public boolean graceSeriesRecordRawEvents(GraceInstruments.WithRawEvents grace, ValueStream values) {
        return grace.series.record(values.nextMillis());
    }

    /** By map: the series is found from the attribute map on every call (a bound set: no allocation). */
    @Benchmark
    public boolean graceRecordByMap(GraceInstruments.RollupOnly grace, ValueStream values) {
        return grace.publisher.record(BenchPlugin.LATENCY_BY_CONNECTOR, ATTRIBUTES, values.nextMillis());
    }

    /** Micrometer with a tag known at the call: builder, tags, register (finds the meter), record. */
    @Benchmark
    public void micrometerTaggedLookup(PeerInstruments.Micrometer m, ValueStream values) {
        m.tagged().record(values.nextMillis());
    }

    /** OpenTelemetry's attribute form: {@code histogram.record(value, attributes)}, attributes built once. */
    @Benchmark
    public void otelRecordWithAttributes(PeerInstruments.OpenTelemetry o, ValueStream values) {
        o.histogram.record(values.nextMillis(), o.attributes);
    }

    @Benchmark
    public void micrometerSummary(PeerInstruments.Micrometer m, ValueStream values) {
        m.summary.record(values.nextMillis());
    }

    @Benchmark
    public void otelExponentialHistogram(PeerInstruments.OpenTelemetry o, ValueStream values) {
        o.histogram.record(values.nextMillis());
    }

    @Benchmark
    public void dropwizardHistogram(PeerInstruments.Dropwizard d, ValueStream values) {
        d.histogram.update(values.nextMicros());
    }

    @Benchmark
    public void adders(PeerInstruments.Adders a, ValueStream values) {
        a.count.increment();
        a.sum.add(values.nextMillis());
    }
}
