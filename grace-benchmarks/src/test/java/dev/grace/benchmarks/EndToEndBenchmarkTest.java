package dev.grace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the end-to-end benchmark running in every build, for about a second per configuration: real
 * runtimes, real H2 files, real counts after close. The rates mean nothing here; what must hold at
 * any rate does: every accepted value is in the rollups, and in {@code metric_events} unless counted
 * as dropped.
 */
class EndToEndBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void everyAcceptedValueIsPersistedOrCountedAndTheReportReadsBack() throws Exception {
        EndToEndBenchmark.Settings settings = EndToEndBenchmark.Settings.parse("--quick", "--seconds", "0.5",
                "--warmup-seconds", "0", "--heap-seconds", "1", "--heap-every", "0.5", "--heap-rate", "5000", "--capacity", "1024",
                "--out", dir.toString());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        EndToEndBenchmark.Report report = EndToEndBenchmark.run(settings, new PrintStream(progress, true, StandardCharsets.UTF_8));

        // A ring of 1,024 (the smallest) keeps the backlog, hence the drain of a cold H2, short.
        assertThat(report.ingest()).extracting(EndToEndBenchmark.IngestRun::name).containsExactly(
                EndToEndBenchmark.FLAT_OUT_RAW, EndToEndBenchmark.PACED_RAW, EndToEndBenchmark.FLAT_OUT_ROLLUPS);
        assertThat(report.ingest()).allSatisfy(r -> {
            assertThat(r.accepted()).isPositive();
            assertThat(r.rollupCount()).as("%s: hour rollups' count", r.name()).isEqualTo(r.accepted());
            assertThat(r.returnedTrue()).as("%s: record() returned true", r.name()).isEqualTo(r.accepted());
            assertThat(r.accountedFor()).isTrue();
        });
        EndToEndBenchmark.IngestRun flat = report.run(EndToEndBenchmark.FLAT_OUT_RAW);
        assertThat(flat.rows()).as("raw rows after close").isPositive().isEqualTo(flat.accepted() - flat.rawDropped());
        assertThat(flat.batches()).isPositive();
        assertThat(report.run(EndToEndBenchmark.FLAT_OUT_ROLLUPS).rows()).isZero();
        // the limit inserted as many rows as the flat-out run persisted
        assertThat(report.bare().rows()).isEqualTo(flat.rows());
        assertThat(report.bare().rowsPerSecond()).isPositive();
        EndToEndBenchmark.IngestRun paced = report.run(EndToEndBenchmark.PACED_RAW);
        assertThat(paced.pacedRate()).isEqualTo(0.85 * report.bare().rowsPerSecond());
        // about half a second at the paced rate: the pacing is followed, neither ignored nor stalled
        assertThat(paced.returnedTrue() / paced.publishSeconds()).isBetween(0.5 * paced.pacedRate(), 1.05 * paced.pacedRate());

        EndToEndBenchmark.HeapRun heap = report.heap();
        assertThat(heap.samples()).hasSize(2).allSatisfy(s -> {
            assertThat(s.fullGc()).as("a full GC before each sample").isTrue();
            assertThat(s.heapUsedBytes()).isPositive();
        });
        assertThat(heap.samples().get(1).accepted()).isGreaterThan(heap.samples().get(0).accepted());
        assertThat(heap.ingest().accountedFor()).isTrue();

        String table = EndToEndBenchmark.render(report, false);
        assertThat(table).contains("raw events on, flat out", "bare JDBC batch insert (the limit)",
                "target ≥ 0.80 with zero loss", "Heap after a full GC", "B/event");
        Path json = dir.resolve("e2e.json");
        EndToEndBenchmark.write(report, json);
        JsonNode read = new ObjectMapper().readTree(json.toFile());
        assertThat(read.path("ingest")).hasSize(3);
        assertThat(read.path("ingest").get(0).path("rows").asLong()).isEqualTo(flat.rows());
        assertThat(read.path("heap").path("samples")).hasSize(2);
    }

    @Test
    void badOptionsAreNamedWithWhatTheyTake() {
        assertThatThrownBy(() -> EndToEndBenchmark.Settings.parse("--threads", "0"))
                .hasMessage("--threads must be a whole number from 1 to 64, got '0'");
        assertThatThrownBy(() -> EndToEndBenchmark.Settings.parse("--paced", "NaN"))
                .hasMessage("--paced must be a number from 0.01 to 10, got 'NaN'");
        assertThatThrownBy(() -> EndToEndBenchmark.Settings.parse("--capacity", "5000"))
                .hasMessage("--capacity must be a power of two of at least 1024, got 5000");
        assertThatThrownBy(() -> EndToEndBenchmark.Settings.parse("--seconds"))
                .hasMessage("--seconds needs a value; --help lists the options");
        assertThatThrownBy(() -> EndToEndBenchmark.Settings.parse("--only", "store"))
                .hasMessage("--only takes 'ingest' or 'heap', got 'store'");
        assertThatThrownBy(() -> EndToEndBenchmark.Settings.parse("--rate", "5"))
                .hasMessage("unknown option '--rate'; --help lists the options");
    }

    @Test
    void theModesSampleTheHeapAtOneAndFiveMinutesOrFiveAndTwentySeconds() {
        EndToEndBenchmark.Settings full = EndToEndBenchmark.Settings.full();
        assertThat(full.run()).isEqualTo(Duration.ofSeconds(60));
        assertThat(full.heapRun()).isEqualTo(Duration.ofMinutes(5));
        assertThat(full.heapEvery()).isEqualTo(Duration.ofSeconds(30));
        assertThat(full.firstMark()).isEqualTo(Duration.ofMinutes(1));
        EndToEndBenchmark.Settings quick = EndToEndBenchmark.Settings.quick();
        assertThat(quick.run()).isEqualTo(Duration.ofSeconds(5));
        assertThat(quick.heapRun()).isEqualTo(Duration.ofSeconds(20));
        assertThat(quick.firstMark()).isEqualTo(Duration.ofSeconds(5));
        assertThat(EndToEndBenchmark.Settings.parse("--heap-seconds", "100", "--heap-every", "40").firstMark())
                .isEqualTo(Duration.ofSeconds(80));
    }
}
