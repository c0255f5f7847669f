package dev.grace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps the scale curves running in every build, at small sizes and for a fraction of a second per
 * timed call: real runtimes, a real H2 file store, real HTTP on loopback. The times mean nothing
 * here; every curve must hold a point per size, drawn into a plot and a table, and the data sets
 * must hold the rows they describe (the harness checks that itself and throws otherwise).
 */
class ScaleBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void everyOneShotCurveIsMeasuredAtEachSizeAndDrawn() throws Exception {
        ScaleBenchmark.Settings s = new ScaleBenchmark.Settings(List.of(10, 100), List.of(10, 100), 2, List.of(1, 2), 2,
                List.of(10, 20), 2, 20, Duration.ZERO, Duration.ofMillis(200), true, true, true, dir, "test", false, null);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        ScaleBenchmark.Report report = ScaleBenchmark.run(s, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(report.curves()).extracting(Curve::id).containsExactly("scale-hour-turn", "scale-flush", "scale-heap",
                "scale-status", "scale-http-status", "scale-query-30d");
        assertThat(report.curves()).allSatisfy(c -> assertThat(c.series()).isNotEmpty().allSatisfy(series ->
                assertThat(series.points()).hasSize(2)));
        for (String id : List.of("scale-hour-turn", "scale-flush", "scale-query-30d")) {
            Curve c = report.curves().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            assertThat(c.series()).allSatisfy(series -> assertThat(series.points()).allSatisfy(p ->
                    assertThat(p.y()).as("%s at %s", id, p.x()).isPositive()));
        }

        Path json = dir.resolve(ScaleBenchmark.RESULT_FILE);
        ScaleBenchmark.write(report, json);
        assertThat(ScaleBenchmark.read(json).curves()).isEqualTo(report.curves());
        List<String> missing = new ArrayList<>();
        List<Curve> curves = Curves.read(dir, missing);
        assertThat(curves).hasSize(6);
        assertThat(missing).singleElement().asString().contains("no ScaleRecord result");
        Path img = dir.resolve("img");
        Curves.main(new String[] {"--img", img.toString(), "--markdown", dir.resolve("curves.md").toString(),
            "--note", "test", dir.toString()});
        assertThat(img.resolve("scale-query-30d.svg")).content().startsWith("<svg");
        assertThat(dir.resolve("curves.md")).content().contains("![", "img/scale-flush.svg", "log-log slope");
    }

    @Test
    void theRecordCurveIsReadFromJmhsResultAtEachThreadCount() throws Exception {
        System.setProperty("jmh.ignoreLock", "true"); // see BenchmarkSmokeTest
        Path json = dir.resolve(Verdicts.JMH_RESULT);
        new Runner(new OptionsBuilder()
                .include("ScaleRecord\\.(OneThread|TwoThreads)\\.record$")
                .param("kpis", "10", "1000")
                .forks(0)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                .resultFormat(ResultFormatType.JSON).result(json.toString())
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build()).run();

        List<Curve> record = Curves.record(ResultTable.read(json));

        assertThat(record).extracting(Curve::id).containsExactly("scale-record-kpis", "scale-record-threads");
        // no -prof gc in this run: no allocation curve
        assertThat(record.get(0).series()).extracting(Curve.Series::name).containsExactly("1 thread", "2 threads");
        assertThat(record.get(0).series()).allSatisfy(series -> assertThat(series.points()).extracting(Curve.Point::x)
                .containsExactly(10.0, 1000.0));
        assertThat(record.get(1).series()).extracting(Curve.Series::name).containsExactly("10 KPIs", "1,000 KPIs");
        assertThat(Files.readString(json)).contains("ScaleRecord.OneThread.record");
    }
}
