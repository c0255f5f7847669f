package dev.grace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultTableTest {

    @TempDir
    Path dir;

    private static String benchmark(String cls, String method, int threads, String score, String error, double bytes) {
        return """
                {"benchmark":"dev.grace.benchmarks.%s.%s","mode":"avgt","threads":%d,
                 "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"ns/op"},
                 "secondaryMetrics":{"gc.alloc.rate.norm":{"score":%s,"scoreError":"NaN","scoreUnit":"B/op"}}}
                """.formatted(cls, method, threads, score, error, bytes);
    }

    private List<ResultTable.Result> read(String... benchmarks) throws IOException {
        Path json = Files.writeString(dir.resolve("r.json"), "[" + String.join(",", benchmarks) + "]");
        return ResultTable.read(json);
    }

    @Test
    void everyRowIsComparedWithGraceRecordAtTheSameThreadCount() throws IOException {
        List<ResultTable.Result> results = read(
                benchmark("RecordOneThread", "graceRecord", 1, "10.0", "0.5", 0.00001),
                benchmark("RecordOneThread", "otelExponentialHistogram", 1, "25.0", "1.0", 0),
                benchmark("RecordTwoThreads", "graceRecord", 2, "20.0", "1.0", 0),
                benchmark("RecordTwoThreads", "micrometerSummary", 2, "30.0", "\"NaN\"", 0));

        String table = ResultTable.render(results, false);

        assertThat(table).containsPattern("otelExponentialHistogram\\s+1\\s+25\\.00\\s+1\\.00\\s+40\\.0 M\\s+0\\.00\\s+2\\.50");
        // two threads at 20 ns/op each: 100 M operations per second together
        assertThat(table).containsPattern("graceRecord\\s+2\\s+20\\.00\\s+1\\.00\\s+100\\.0 M\\s+0\\.00\\s+1\\.00");
        assertThat(table).containsPattern("micrometerSummary\\s+2\\s+30\\.00\\s+n/a");
    }

    @Test
    void targetsAreJudgedAgainstTheFastestPeerHistogramNotTheFloor() throws IOException {
        List<ResultTable.Result> results = read(
                benchmark("RecordOneThread", "graceRecord", 1, "15.0", "0.5", 0),
                benchmark("RecordOneThread", "otelExponentialHistogram", 1, "25.0", "1.0", 0),
                benchmark("RecordOneThread", "micrometerSummary", 1, "60.0", "1.0", 0),
                benchmark("RecordOneThread", "adders", 1, "4.0", "0.1", 0),
                benchmark("RecordTwoThreads", "graceRecord", 2, "60.0", "1.0", 24.0),
                benchmark("RecordTwoThreads", "micrometerSummary", 2, "100.0", "1.0", 0));

        String table = ResultTable.render(results, false);

        assertThat(table).contains("1 thread:  0.60 × otelExponentialHistogram (15.00 ns/op vs 25.00 ns/op); target ≤ 0.75: met");
        assertThat(table).contains("2 threads: 0.60 × micrometerSummary (60.00 ns/op vs 100.0 ns/op); target ≤ 0.50: MISSED");
        assertThat(table).contains("allocation, 1 thread: 0.000 B/op; target 0: met");
        assertThat(table).contains("allocation, 2 threads: 24.000 B/op; target 0: MISSED");
    }

    @Test
    void markdownIsATableWithNumbersAlignedRightAndTargetsAsAList() throws IOException {
        String table = ResultTable.render(read(benchmark("RecordOneThread", "graceRecord", 1, "10.0", "0.5", 0)), true);

        assertThat(table).startsWith("| Benchmark | Threads | ns/op |").contains("|---|---:|")
                .contains("| graceRecord | 1 | 10.00 | 0.50 | 100.0 M | 0.00 | 1.00 |")
                .contains("\n- allocation, 1 thread: 0.000 B/op; target 0: met");
    }
}
