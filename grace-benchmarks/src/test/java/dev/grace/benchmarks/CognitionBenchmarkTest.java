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
 * Keeps the cognition benchmark running in every build on one day of data instead of thirty, for a
 * fraction of a second per call and endpoint: a real runtime on a real H2 file, real HTTP on
 * loopback. The latencies mean nothing here; the data set must be exactly the one described, and
 * every request must be answered on the connection it was sent on.
 */
class CognitionBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void statusReadinessAndBothEndpointsAreMeasuredOnTheDataSetTheyDescribe() throws Exception {
        CognitionBenchmark.Settings settings = CognitionBenchmark.Settings.parse("--quick", "--days", "1",
                "--clients", "4", "--rate", "200", "--seconds", "0.3", "--warmup-seconds", "0.2", "--out", dir.toString());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        CognitionBenchmark.Report report = CognitionBenchmark.run(settings, new PrintStream(progress, true, StandardCharsets.UTF_8));

        CognitionBenchmark.DataSet data = report.data();
        int kpis = CognitionDataSet.DOMAINS.size() * HostPlugin.KPIS.size();
        assertThat(data.domains()).isEqualTo(8);
        assertThat(data.kpisPerDomain()).isEqualTo(5);
        assertThat(data.hours()).isEqualTo(25); // 24 evaluated, and the current one
        assertThat(data.accepted()).isEqualTo(25L * CognitionDataSet.VALUES_PER_HOUR * kpis);
        assertThat(data.hourRows()).isEqualTo(25L * kpis);
        assertThat(data.evaluatedHours()).isEqualTo(24);
        assertThat(data.benchmarkRows()).as("3 overall benchmarks and one per domain, every evaluated hour")
                .isEqualTo(24L * (3 + 8));
        assertThat(data.readinessEvents()).as("the dipping domain raises at least its dip").isPositive();

        assertThat(report.calls()).extracting(CognitionBenchmark.Call::name)
                .containsExactly(CognitionBenchmark.STATUS, CognitionBenchmark.STATUS_CACHED, CognitionBenchmark.READINESS,
                        CognitionBenchmark.HOUR_SQL);
        assertThat(report.calls()).allSatisfy(c -> {
            assertThat(c.latency().count()).isPositive();
            assertThat(c.latency().p50()).isPositive().isLessThanOrEqualTo(c.latency().p95());
            assertThat(c.latency().p95()).isLessThanOrEqualTo(c.latency().max());
        });
        assertThat(report.http()).extracting(HttpLoad.Result::path)
                .containsExactly(CognitionBenchmark.STATUS_PATH, CognitionBenchmark.METRICS_PATH);
        assertThat(report.http()).allSatisfy(h -> {
            assertThat(h.requests()).isPositive().isEqualTo(h.latency().count());
            assertThat(h.errors()).isZero();
            assertThat(h.connections()).as("one kept-alive connection per client").isEqualTo(4);
            assertThat(h.serverCpuSeconds()).isPositive();
        });

        assertThat(report.paced()).extracting(HttpLoad.PacedResult::path)
                .containsExactly(CognitionBenchmark.STATUS_PATH, CognitionBenchmark.METRICS_PATH);
        assertThat(report.paced()).allSatisfy(h -> {
            // the schedule is fixed: 200/s for 0.3 s is 60 slots, each sent and answered
            assertThat(h.requests()).isBetween(59L, 61L).isEqualTo(h.latency().count());
            assertThat(h.errors()).isZero();
            assertThat(h.latency().p50()).isPositive().isLessThanOrEqualTo(h.latency().p99());
            assertThat(h.latency().p99()).isLessThanOrEqualTo(h.latency().p999());
            assertThat(h.latency().p999()).isLessThanOrEqualTo(h.latency().max());
            assertThat(h.service().max()).as("the wait for a slot is in the latency, not the service time")
                    .isLessThanOrEqualTo(h.latency().max());
        });

        String table = CognitionBenchmark.render(report, false);
        assertThat(table).contains("At a constant rate: 200 requests/s over 4", "p99.9 ms");
        assertThat(table).contains("8 domains × 5 KPIs, 1 days", "status()", "readiness()",
                "GET /api/cognition/status", "target < 10 ms", "GET /metrics", "target < 20 ms");
        Path json = dir.resolve("cognition.json");
        CognitionBenchmark.write(report, json);
        JsonNode read = new ObjectMapper().readTree(json.toFile());
        assertThat(read.path("data").path("hourRows").asLong()).isEqualTo(data.hourRows());
        assertThat(read.path("http")).hasSize(2);
        assertThat(read.path("http").get(0).path("latency").path("p95").asDouble())
                .isEqualTo(report.http().get(0).latency().p95());
    }

    @Test
    void badOptionsAreNamedWithWhatTheyTake() {
        assertThatThrownBy(() -> CognitionBenchmark.Settings.parse("--days", "0"))
                .hasMessage("--days must be a whole number from 1 to 366, got '0'");
        assertThatThrownBy(() -> CognitionBenchmark.Settings.parse("--clients", "many"))
                .hasMessage("--clients must be a whole number from 1 to 1000, got 'many'");
        assertThatThrownBy(() -> CognitionBenchmark.Settings.parse("--seconds", "NaN"))
                .hasMessage("--seconds must be a number from 0.1 to 86400, got 'NaN'");
        assertThatThrownBy(() -> CognitionBenchmark.Settings.parse("--only", "store"))
                .hasMessage("--only takes 'query' or 'http', got 'store'");
        assertThatThrownBy(() -> CognitionBenchmark.Settings.parse("--clients"))
                .hasMessage("--clients needs a value; --help lists the options");
        assertThatThrownBy(() -> CognitionBenchmark.Settings.parse("--rate", "-5"))
                .hasMessage("--rate must be a number from 0 to 100000, got '-5'");
        assertThatThrownBy(() -> CognitionBenchmark.Settings.parse("--rps", "5"))
                .hasMessage("unknown option '--rps'; --help lists the options");
    }

    @Test
    void theFullModeIsThirtyDaysAndFiftyClientsForThirtySecondsAfterTen() {
        CognitionBenchmark.Settings full = CognitionBenchmark.Settings.parse();
        assertThat(full.days()).isEqualTo(30);
        assertThat(full.clients()).isEqualTo(50);
        assertThat(full.run()).isEqualTo(Duration.ofSeconds(30));
        assertThat(full.warmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(full.rate()).isEqualTo(1000);
        CognitionBenchmark.Settings quick = CognitionBenchmark.Settings.parse("--quick");
        assertThat(quick.days()).isEqualTo(30);
        assertThat(quick.run()).isEqualTo(Duration.ofSeconds(5));
    }
}
