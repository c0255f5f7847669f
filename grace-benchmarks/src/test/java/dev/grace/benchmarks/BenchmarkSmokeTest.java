package dev.grace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps the benchmarks compiling and running in every build: a few of them, in this JVM, for a
 * fraction of a second each. The numbers mean nothing here; {@code run.sh} measures.
 */
class BenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void benchmarksRunInProcessAndTheTableReadsTheirJson() throws Exception {
        // JMH refuses to start while another JMH run on the machine holds /tmp/jmh.lock, so that two
        // measurements do not disturb each other. This smoke run measures nothing worth protecting,
        // and must not fail a build because someone is benchmarking on the same machine.
        System.setProperty("jmh.ignoreLock", "true");
        Path json = dir.resolve("jmh-result.json");
        Options options = new OptionsBuilder()
                .include("RecordOneThread\\.(graceRecord|otelExponentialHistogram)$")
                .include("RecordTwoThreads\\.graceRecord$")
                .forks(0)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON).result(json.toString())
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        assertThat(results).hasSize(3);
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
        List<ResultTable.Result> read = ResultTable.read(json);
        assertThat(read).extracting(ResultTable.Result::name)
                .containsExactlyInAnyOrder("graceRecord", "otelExponentialHistogram", "graceRecord");
        assertThat(read).allSatisfy(r -> assertThat(r.bytesPerOp()).isNotNaN());
        assertThat(ResultTable.render(read, false))
                .contains("otelExponentialHistogram", "graceRecord", "1 thread:  ", "2 threads: ");
    }

    /** The benchmarks would measure the wrong path if the stream's values were rejected, or NaN accepted. */
    @Test
    void graceAcceptsEveryValueOfTheStreamAndRejectsNaN() throws Exception {
        GraceInstruments.RollupOnly grace = new GraceInstruments.RollupOnly();
        grace.start();
        try {
            ValueStream values = new ValueStream();
            for (int i = 0; i < ValueStream.MILLIS.length; i++) {
                assertThat(grace.publisher.record(BenchPlugin.LATENCY, values.nextMillis())).isTrue();
            }
            assertThat(grace.publisher.publish(RecordBenchmark.KPI_NAME, 1.0, RecordBenchmark.METADATA)).isTrue();
            assertThat(grace.publisher.record(BenchPlugin.LATENCY, values.notANumber())).isFalse();
            // the series benchmarks write to a real series, not a rejecting one
            for (int i = 0; i < ValueStream.MILLIS.length; i++) {
                assertThat(grace.series.record(values.nextMillis())).isTrue();
                assertThat(grace.publisher.record(BenchPlugin.LATENCY_BY_CONNECTOR, RecordBenchmark.ATTRIBUTES,
                        values.nextMillis())).isTrue();
            }
            assertThat(grace.series.attributes()).isEqualTo(RecordBenchmark.ATTRIBUTES);
        } finally {
            grace.close();
        }
    }
}
