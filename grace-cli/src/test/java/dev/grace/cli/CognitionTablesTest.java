package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.runtime.cognition.KpiReading;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How cognition's records print, from hand-built records; the commands' tests run them on a real store. */
class CognitionTablesTest {

    private static final Instant HOUR = Instant.parse("2026-11-22T09:00:00Z");

    private static String print(Consumer<PrintWriter> printer) {
        StringWriter s = new StringWriter();
        printer.accept(new PrintWriter(s, true));
        return s.toString();
    }

    private static Status status() {
        return new Status(HOUR, true, new Scores(0.934, 0.8612, null), List.of(
                new DomainStatus("security", new Scores(0.97, 0.95, 0.9), List.of(
                        new KpiReading("blocked", "RATIO", true, 60, 0.97, 0.97),
                        new KpiReading("scans", "COUNT", false, 60, 12.0, null)), -0.031, 0),
                new DomainStatus("temporal", Scores.GAP, List.of(), null, 2)));
    }

    @Test
    void statusPrintsOverallScoresADomainTableAndEveryKpi() {
        String out = print(w -> CognitionTables.status(status(), w));

        assertThat(out).isEqualTo("""
                Status of hour 2026-11-22T09:00:00Z (open: its figures may still change)
                Overall: health 0.93, trust 0.86, confidence -

                DOMAIN    HEALTH  TRUST  CONFIDENCE  TREND  ALERTS (24H)  KPIS
                security    0.97   0.95        0.90  -0.03             0     2
                temporal       -      -           -      -             2     0

                DOMAIN    KPI      UNIT   COUNT  MEAN       HEALTH
                security  blocked  RATIO     60  0.97         0.97
                security  scans    COUNT     60    12  not counted

                Guard: no KPI flagged
                """);
    }

    @Test
    void statusAndReadinessListTheGuardsFlags() {
        KpiFlag flag = new KpiFlag("security", "blocked", "constant", "all 240 values 0.97 over 24 hours", HOUR);
        Status flagged = new Status(HOUR, false, new Scores(0.97, 1.0, 0.02), List.of(new DomainStatus("security",
                new Scores(0.97, 1.0, 0.02), List.of(new KpiReading("blocked", "RATIO", true, 10, 0.97, 0.97)), null, 0,
                List.of(flag))));

        assertThat(print(w -> CognitionTables.status(flagged, w))).endsWith("""
                Guard: 1 KPI flag (a flagged KPI's evidence counts as uncertain in its domain's confidence)
                DOMAIN    KPI      FLAG      SINCE (HOUR)          DETAIL
                security  blocked  constant  2026-11-22T09:00:00Z  all 240 values 0.97 over 24 hours
                """);
        assertThat(print(w -> CognitionTables.readiness(new Readiness(HOUR, List.of(), false, List.of(), List.of(flag)),
                w))).contains("Guard: 1 KPI flag", "security  blocked  constant");
    }

    @Test
    void readinessPrintsEachBenchmarkAndTheNextSteps() {
        Readiness readiness = new Readiness(HOUR, List.of(
                new BenchmarkState("overall_trust", "overall.trust", 0.9, "at_least", 168, 24, HOUR, 0.8612, 40,
                        "below", "overall_trust 0.86: 0.04 below 0.90; weakest domain temporal 0.71"),
                new BenchmarkState("latency", "overall.confidence", 0.2, "at_most", 24, 1, HOUR, null, 0,
                        "insufficient", "")), false, List.of("Raise trust", "Wait"));

        String out = print(w -> CognitionTables.readiness(readiness, w));

        assertThat(out).isEqualTo("""
                Readiness at hour 2026-11-22T09:00:00Z: not ready (0 of 2 benchmarks sustained)

                BENCHMARK      METRIC              VALUE  THRESHOLD  SAMPLES  STATE         MISSING
                overall_trust  overall.trust        0.86    >= 0.90   40/168  below         overall_trust 0.86: 0.04 below 0.90; weakest domain temporal 0.71
                latency        overall.confidence      -    <= 0.20     0/24  insufficient  -

                Guard: no KPI flagged

                Next steps:
                  1. Raise trust
                  2. Wait
                """);
        assertThat(print(w -> CognitionTables.readiness(new Readiness(null, List.of(), false, List.of()), w)))
                .isEqualTo("Readiness: no hour evaluated yet: not ready (0 of 0 benchmarks sustained)\n\nGuard: no KPI flagged\n");
    }

    @Test
    void jsonIsTheRecordsWithIsoInstantsAndNullGaps() throws Exception {
        JsonNode json = new ObjectMapper().readTree(CognitionTables.json(status()));

        assertThat(json.get("hour").asText()).isEqualTo("2026-11-22T09:00:00Z");
        assertThat(json.get("open").asBoolean()).isTrue();
        assertThat(json.get("overall").get("health").asDouble()).isEqualTo(0.934);
        assertThat(json.get("overall").get("confidence").isNull()).isTrue();
        assertThat(json.get("overall").has("present")).isFalse();
        assertThat(json.get("domains").get(0).get("kpis").get(1).get("normalised").isNull()).isTrue();
        assertThat(json.get("domains").get(1).get("trend").isNull()).isTrue();

        Alert alert = new Alert(HOUR.plusSeconds(3900), HOUR, "domain_dip", "temporal", 0.41, 0.5,
                "temporal health 0.41 under 0.50", new Scores(0.8, 0.9, 0.7));
        JsonNode alerts = new ObjectMapper().readTree(CognitionTables.json(List.of(alert)));
        assertThat(alerts.get(0).get("at").asText()).isEqualTo("2026-11-22T10:05:00Z");
        assertThat(alerts.get(0).get("overall").get("trust").asDouble()).isEqualTo(0.9);
    }

    @Test
    void alertsPrintNewestFirstAsGiven() {
        Alert older = new Alert(HOUR.plusSeconds(300), HOUR, "threshold_lost", "overall_trust", 0.86, 0.9,
                "overall_trust fell to 0.86", Scores.GAP);
        Alert newer = new Alert(HOUR.plusSeconds(3900), HOUR.plusSeconds(3600), "elevation_ready", "readiness",
                null, null, "every benchmark sustained", Scores.GAP);

        String out = print(w -> CognitionTables.alerts(List.of(newer, older), w));

        assertThat(out.lines()).containsExactly(
                "AT                    HOUR (UTC)            TYPE             SUBJECT        VALUE  THRESHOLD  MESSAGE",
                "2026-11-22T10:05:00Z  2026-11-22T10:00:00Z  elevation_ready  readiness          -          -  every benchmark sustained",
                "2026-11-22T09:05:00Z  2026-11-22T09:00:00Z  threshold_lost   overall_trust   0.86       0.90  overall_trust fell to 0.86");
    }

    @Test
    void hourIsAnIsoInstantOnTheHourOrDateAndHourInUtc() {
        BenchmarkCommand.HourConverter hour = new BenchmarkCommand.HourConverter();

        assertThat(hour.convert("2026-11-22T10:00:00Z")).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(hour.convert("2026-11-22T10")).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThatThrownBy(() -> hour.convert("yesterday")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage("expected an hour such as 2026-11-22T10:00:00Z or 2026-11-22T10 (UTC), got \"yesterday\"");
        assertThatThrownBy(() -> hour.convert("2026-11-22T10:30:00Z"))
                .hasMessage("\"2026-11-22T10:30:00Z\" is not the start of an hour; expected an hour such as"
                        + " 2026-11-22T10:00:00Z or 2026-11-22T10 (UTC)");
        assertThatThrownBy(() -> hour.convert("2026-11-22T25")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
