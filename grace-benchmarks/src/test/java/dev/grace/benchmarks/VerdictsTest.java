package dev.grace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.benchmarks.Verdicts.Line;
import dev.grace.benchmarks.Verdicts.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each target judged from result files in JMH's and the store benchmark's formats: the thresholds
 * on both sides, and "not measured" for whatever did not run.
 */
class VerdictsTest {

    @TempDir
    Path dir;

    @Test
    void withNoResultFilesEveryTargetIsNotMeasuredAndNothingFails() {
        List<Line> lines = Verdicts.judge(dir);

        assertThat(lines).hasSize(14).allSatisfy(l -> assertThat(l.verdict()).isEqualTo(Verdict.NOT_MEASURED));
        assertThat(Verdicts.render(lines, false)).contains("0 PASS, 0 MISS, 14 not measured");
        // each error-bar target names its own benchmark, also when neither was measured
        assertThat(lines).extracting(Line::target).contains(
                "JMH error bar ÷ score, graceRecordRawEvents, 1 thread < 0.20",
                "JMH error bar ÷ score, graceRecordRawEventsRingFull, 1 thread < 0.20",
                "JMH error bar ÷ score, graceRecordRawEventsRingFull, 2 threads < 0.20");
    }

    @Test
    void theRecordTargetsAreRatiosTakenAtTheSameThreadCount() throws Exception {
        Files.writeString(dir.resolve(Verdicts.JMH_RESULT), "[" + String.join(",",
                jmh("RecordOneThread.graceRecord", 1, 40, 1, 0),
                jmh("RecordOneThread.graceRecordRawEvents", 1, 56, 5, 0.01),       // 1.4 × rollup: met
                jmh("RecordOneThread.graceRecordRawEventsRingFull", 1, 50, 12, 0), // error 24%: missed
                jmh("RecordOneThread.otelExponentialHistogram", 1, 80, 2, 0),      // 0.70 × the fastest peer: met
                jmh("RecordOneThread.micrometerSummary", 1, 120, 2, 0),
                jmh("RecordTwoThreads.graceRecord", 2, 100, 3, 0),
                jmh("RecordTwoThreads.graceRecordRawEvents", 2, 160, 10, 82),      // 1.6 × rollup, 82 B/op: missed
                jmh("RecordTwoThreads.dropwizardHistogram", 2, 300, 10, 0))       // 0.53 × the peer: missed
                + "]");

        List<Line> lines = Verdicts.judge(dir);

        assertThat(verdict(lines, "1 thread: 0 B/op")).isEqualTo(Verdict.PASS);
        assertThat(line(lines, "rollup-only record, 1 thread").ratio()).isCloseTo(1.4, within());
        assertThat(verdict(lines, "rollup-only record, 1 thread")).isEqualTo(Verdict.PASS);
        assertThat(line(lines, "peer histogram, 1 thread").ratio()).isCloseTo(0.7, within());
        assertThat(verdict(lines, "peer histogram, 1 thread")).isEqualTo(Verdict.PASS);
        assertThat(line(lines, "ring full ÷ ring accepting, 1 thread").ratio()).isCloseTo(50.0 / 56, within());
        assertThat(verdict(lines, "ring full ÷ ring accepting, 1 thread")).isEqualTo(Verdict.PASS);
        assertThat(verdict(lines, "graceRecordRawEvents, 1 thread < 0.20")).isEqualTo(Verdict.PASS);
        assertThat(verdict(lines, "graceRecordRawEventsRingFull, 1 thread < 0.20")).isEqualTo(Verdict.MISS);

        assertThat(verdict(lines, "2 threads: 0 B/op")).isEqualTo(Verdict.MISS);
        assertThat(verdict(lines, "rollup-only record, 2 threads")).isEqualTo(Verdict.MISS);
        assertThat(line(lines, "peer histogram, 2 threads").ratio()).isCloseTo(160.0 / 300, within());
        assertThat(verdict(lines, "peer histogram, 2 threads")).isEqualTo(Verdict.MISS);
        assertThat(verdict(lines, "ring full ÷ ring accepting, 2 threads")).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(line(lines, "ring full ÷ ring accepting, 2 threads").measured())
                .contains("no graceRecordRawEventsRingFull at 2 threads");
    }

    @Test
    void aStoreTargetNeedsTheRatioAndEveryAcceptedRow() throws Exception {
        Files.writeString(dir.resolve(Verdicts.STORE_RESULT), """
                {"commit": "abc", "runs": [
                  {"vendor": "postgresql", "bare": "COPY", "bareRowsPerSecond": 200000, "pacedRate": 170000,
                   "persistedRowsPerSecond": 168000, "accepted": 1000, "rows": 1000, "rawDropped": 0},
                  {"vendor": "h2", "bare": "batch insert", "bareRowsPerSecond": 100000, "pacedRate": 85000,
                   "persistedRowsPerSecond": 84000, "accepted": 1000, "rows": 999, "rawDropped": 1}]}
                """);

        List<Line> lines = Verdicts.judge(dir);

        assertThat(line(lines, "PostgreSQL").ratio()).isCloseTo(0.84, within());
        assertThat(verdict(lines, "PostgreSQL")).isEqualTo(Verdict.PASS);
        assertThat(line(lines, "H2").ratio()).isCloseTo(0.84, within());
        assertThat(verdict(lines, "H2")).as("one row short of accepted").isEqualTo(Verdict.MISS);
        assertThat(line(lines, "H2").measured()).contains("rows 999 of 1,000 accepted, 1 dropped");
    }

    @Test
    void withoutAnH2StoreRunH2IsJudgedFromTheEndToEndBenchmarksPacedRun() throws Exception {
        Files.writeString(dir.resolve(Verdicts.E2E_RESULT), String.format(Locale.ROOT, """
                {"bare": {"rows": 100000, "seconds": 2.0},
                 "ingest": [{"name": "%s", "accepted": 50000, "rows": 50000, "rawDropped": 0, "drainSeconds": 1.0}]}
                """, EndToEndBenchmark.PACED_RAW));

        List<Line> lines = Verdicts.judge(dir);

        assertThat(line(lines, "H2").ratio()).isCloseTo(1.0, within());
        assertThat(verdict(lines, "H2")).isEqualTo(Verdict.PASS);
        assertThat(verdict(lines, "PostgreSQL")).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(line(lines, "PostgreSQL").measured()).contains("no " + Verdicts.STORE_RESULT);
    }

    /** One benchmark as JMH writes it with {@code -rf json -prof gc}. */
    private static String jmh(String benchmark, int threads, double score, double error, double bytes) {
        return String.format(Locale.ROOT, """
                {"benchmark": "dev.grace.benchmarks.%s", "mode": "avgt", "threads": %d,
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "ns/op"},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreUnit": "B/op"}}}
                """, benchmark, threads, score, error, bytes);
    }

    private static Line line(List<Line> lines, String part) {
        List<Line> found = lines.stream().filter(l -> l.target().contains(part)).toList();
        assertThat(found).as("targets containing '%s'", part).hasSize(1);
        return found.get(0);
    }

    private static Verdict verdict(List<Line> lines, String part) {
        return line(lines, part).verdict();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
