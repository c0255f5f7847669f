package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.ConfigLoader;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.w3c.dom.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import dev.grace.cli.InProcessCommand.Result;

/**
 * The cognition commands on a real H2 data directory that a runtime filled hour by hour on a manual
 * clock: 25 hours of a steady domain, ending in the current (real) hour, with a gap in hour 17 and a
 * dip in hour 12; the runtime evaluated hours 0 to 19, the rest is left for {@code grace benchmark run}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CognitionCommandsTest {

    static final Duration HOUR = Duration.ofHours(1);
    static final int HOURS = 25;
    static final int EVALUATED = 20;
    static final int GAP = 17;
    static final int DIP = 12;

    Path dir;
    Path config;
    Instant t0;

    /** The command with this test's config file. */
    Result grace(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return InProcessCommand.grace(all);
    }

    Instant hour(int i) {
        return t0.plus(HOUR.multipliedBy(i));
    }

    @BeforeAll
    void aRuntimeRanTwentyFiveHours(@TempDir Path tmp) throws Exception {
        dir = tmp;
        config = Files.writeString(dir.resolve("grace.yaml"), """
                dataDir: %s
                pluginsDirs: []
                store:
                  flushInterval: 50ms
                cognition:
                  benchmarks:
                    - "overall_health: overall.health >= 0.90 over 6h after 3"
                    - "domain_health: *.health >= 0.85 over 6h after 3"
                """.formatted(dir.resolve("data")));
        GraceConfig loaded = ConfigLoader.create().file(config).load();
        // The CLI reads on the system clock: the runtime's last hour is the current real one.
        t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(HOUR.multipliedBy(HOURS - 1));
        ManualClock clock = ManualClock.at(t0);
        SteadyPlugin plugin = new SteadyPlugin();
        try (GraceRuntime rt = GraceRuntime.builder().config(loaded).clock(clock).discoverClasspath(false)
                .plugin(plugin).evaluate(false).supervise(false).build().start()) {
            for (int i = 0; i < HOURS; i++) {
                clock.set(hour(i).plus(Duration.ofMinutes(30)));
                rt.turnHour();
                if (i != GAP) {
                    plugin.record(i == DIP ? 0.3 : 0.98, 10);
                }
                if (i < EVALUATED) {
                    clock.set(hour(i + 1).plus(Duration.ofMinutes(6)));
                    rt.turnHour();
                    rt.cognition().orElseThrow().evaluateDue();
                }
            }
        }
    }

    @Test
    @Order(1)
    void statusShowsTheCurrentHourPerDomainWithItsKpis() throws Exception {
        Result text = grace("status");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().lines()).startsWith(
                "Status of hour " + hour(HOURS - 1) + " (open: its figures may still change)",
                "Overall: health 0.98, trust 1.00, confidence 1.00",
                "",
                "DOMAIN  HEALTH  TRUST  CONFIDENCE  TREND  ALERTS (24H)  KPIS");
        assertThat(text.out()).containsPattern("\\nsteady +0\\.98 +1\\.00 +1\\.00 +\\+0\\.\\d\\d +\\d+ +1\\n")
                .contains("steady  success_ratio  RATIO     10  0.98    0.98");

        JsonNode json = grace("status", "--json").json();
        assertThat(json.get("hour").asText()).isEqualTo(hour(HOURS - 1).toString());
        assertThat(json.get("open").asBoolean()).isTrue();
        assertThat(json.get("overall").get("health").asDouble()).isCloseTo(0.98, within(1e-9));
        JsonNode steady = json.get("domains").get(0);
        assertThat(steady.get("domain").asText()).isEqualTo("steady");
        assertThat(steady.get("kpis").get(0).get("kpi").asText()).isEqualTo("success_ratio");
        assertThat(steady.get("kpis").get(0).get("count").asLong()).isEqualTo(10);
        assertThat(steady.get("alerts").asInt()).isPositive();
    }

    @Test
    @Order(1)
    void readinessShowsEachBenchmarkAtTheLatestEvaluatedHourAndWhatIsMissing() throws Exception {
        Result text = grace("readiness");
        assertThat(text.exitCode()).as(text.err()).isZero();
        String last = hour(EVALUATED - 1).toString();
        assertThat(text.out()).isEqualTo("""
                Readiness at hour %s: not ready (0 of 2 benchmarks sustained)

                BENCHMARK       METRIC          VALUE  THRESHOLD  SAMPLES  STATE  MISSING
                overall_health  overall.health   0.98    >= 0.90      5/6  met    4 more hours at its threshold to be sustained (2 of 6)
                domain_health   steady.health    0.98    >= 0.85      5/6  met    4 more hours at its threshold to be sustained (2 of 6)

                Guard: no KPI flagged

                Next steps:
                  1. overall.health: 4 more hours at its threshold to be sustained (2 of 6)
                  2. steady.health: 4 more hours at its threshold to be sustained (2 of 6)
                """.formatted(last));

        JsonNode json = grace("readiness", "--json").json();
        assertThat(json.get("hour").asText()).isEqualTo(last);
        assertThat(json.get("elevationReady").asBoolean()).isFalse();
        assertThat(json.get("benchmarks")).hasSize(2);
        JsonNode overall = json.get("benchmarks").get(0);
        assertThat(overall.get("metric").asText()).isEqualTo("overall.health");
        assertThat(overall.get("windowHours").asInt()).isEqualTo(6);
        assertThat(overall.get("samples").asInt()).isEqualTo(5);
        assertThat(overall.get("state").asText()).isEqualTo("met");
        assertThat(json.get("nextSteps")).hasSize(2);
    }

    @Test
    @Order(1)
    void historyHasARowPerEvaluatedHourWithGapsAsNull() throws Exception {
        JsonNode rows = grace("benchmark", "history", "--metric", "overall.health", "--json").json();
        assertThat(rows).hasSize(EVALUATED);
        assertThat(rows.get(0).get("hour").asText()).isEqualTo(hour(0).toString());
        assertThat(rows.get(DIP).get("value").asDouble()).isCloseTo(0.3, within(1e-9));
        assertThat(rows.get(DIP).get("state").asText()).isEqualTo("below");
        assertThat(rows.get(GAP).get("value").isNull()).isTrue();

        // a benchmark's name stands for its metric; --since as an instant
        Result text = grace("benchmark", "history", "--metric", "overall_health", "--since", hour(DIP).toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().lines()).hasSize(1 + EVALUATED - DIP)
                .first().isEqualTo("HOUR (UTC)            BENCHMARK       VALUE  THRESHOLD  SAMPLES  STATE");
        assertThat(text.out().lines().toList().get(1)).isEqualTo(hour(DIP) + "  overall_health   0.30    >= 0.90      6/6  below");
        assertThat(text.out().lines().toList().get(1 + GAP - DIP)).isEqualTo(hour(GAP) + "  overall_health      -    >= 0.90      5/6  below");

        Result unknown = grace("benchmark", "history", "--metric", "overall.speed");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("grace: no benchmark history for metric 'overall.speed'; known:"
                + " overall.health, steady.health\n");
        Result since = grace("benchmark", "history", "--metric", "overall.health", "--since", "last week");
        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.err()).startsWith("grace: --since: expected a duration such as 24h or 7d");
    }

    @Test
    @Order(1)
    void runWithAnHourShowsThatHourAndWritesNothing() throws Exception {
        Result dip = grace("benchmark", "run", "--hour", hour(DIP).toString());
        assertThat(dip.exitCode()).as(dip.err()).isZero();
        assertThat(dip.out()).startsWith("Benchmarks at hour " + hour(DIP) + " (read only: nothing written)\n")
                .contains("overall_health  overall.health   0.30    >= 0.90      6/6  below");

        // not evaluated yet: as it would be now, in the short form of the hour
        String shortForm = hour(EVALUATED + 1).toString().substring(0, 13);
        JsonNode notYet = grace("benchmark", "run", "--hour", shortForm, "--json").json();
        assertThat(notYet).hasSize(2);
        assertThat(notYet.get(0).get("hour").asText()).isEqualTo(hour(EVALUATED + 1).toString());
        assertThat(notYet.get(0).get("value").asDouble()).isCloseTo(0.98, within(1e-9));

        assertThat(grace("benchmark", "history", "--metric", "overall.health", "--json").json()).hasSize(EVALUATED);
        assertThat(grace("readiness", "--json").json().get("hour").asText()).isEqualTo(hour(EVALUATED - 1).toString());
    }

    @Test
    @Order(1)
    void aBadHourNamesTheOptionAndTheExpectedForm() {
        Result bad = grace("benchmark", "run", "--hour", "yesterday");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("grace: --hour: expected an hour such as 2026-11-22T10:00:00Z or 2026-11-22T10"
                + " (UTC), got \"yesterday\" (see 'grace benchmark run --help')\n");

        Result half = grace("benchmark", "run", "--hour", "2026-11-22T10:30:00Z");
        assertThat(half.exitCode()).isEqualTo(2);
        assertThat(half.err()).startsWith("grace: --hour: \"2026-11-22T10:30:00Z\" is not the start of an hour;");

        Instant open = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(HOUR);
        Result future = grace("benchmark", "run", "--hour", open.toString());
        assertThat(future.exitCode()).isEqualTo(2);
        assertThat(future.err()).isEqualTo("grace: --hour: " + open + " has not ended yet; expected a past hour, an hour"
                + " such as 2026-11-22T10:00:00Z or 2026-11-22T10 (UTC)\n");
    }

    @Test
    @Order(1)
    void alertsAreNewestFirstAndLimited() throws Exception {
        Result text = grace("alerts", "--limit", "3");
        assertThat(text.exitCode()).as(text.err()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("AT  ").contains("TYPE", "SUBJECT", "MESSAGE");
        // the newest: the benchmarks met their thresholds again in the hour after the gap
        assertThat(lines.get(1)).startsWith(hour(GAP + 2).plus(Duration.ofMinutes(6)) + "  " + hour(GAP + 1) + "  threshold_crossed");

        JsonNode all = grace("alerts", "--json", "--limit", "100").json();
        List<String> types = new ArrayList<>();
        all.forEach(a -> types.add(a.get("type").asText()));
        assertThat(types).contains("domain_dip", "threshold_lost", "elevation_ready", "threshold_crossed");
        JsonNode dip = null;
        for (JsonNode a : all) {
            dip = a.get("type").asText().equals("domain_dip") ? a : dip;
        }
        assertThat(dip.get("subject").asText()).isEqualTo("steady");
        assertThat(dip.get("hour").asText()).isEqualTo(hour(DIP).toString());
        assertThat(dip.get("value").asDouble()).isCloseTo(0.3, within(1e-9));

        Result zero = grace("alerts", "--limit", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).isEqualTo("grace: --limit: expected a whole number from 1 to 10000, got \"0\""
                + " (see 'grace alerts --help')\n");
    }

    @Test
    @Order(1)
    void reportIsWrittenWithAChartPerBenchmarkMetric() throws Exception {
        Path out = dir.resolve("reports");
        Files.createDirectories(out);
        Result report = grace("report", "--out", out.resolve("readiness.md").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).isEqualTo("report written to " + out.resolve("readiness.md") + "\n");

        String md = Files.readString(out.resolve("readiness.md"));
        assertThat(md).contains("Latest evaluated hour: " + hour(EVALUATED - 1) + ".",
                "| overall_health | overall.health | 0.98 | ≥ 0.90 | 5/6 | met |",
                "| steady | 0.98 | 1.00 | 1.00 |",
                "![overall.health, last 7 days](readiness-overall.health.svg)",
                "![steady.health, last 7 days](readiness-steady.health.svg)",
                "1. overall.health: 4 more hours");
        // the 7 days end at the latest evaluated hour: the dip and the gap are its 12th and 3rd hours from the end
        String spark = md.substring(md.indexOf("```text\n") + 8, md.indexOf("\n```", md.indexOf("```text\n") + 8));
        assertThat(spark).hasSize(168);
        assertThat(spark.substring(168 - EVALUATED)).isEqualTo("█".repeat(DIP) + "▁" + "█".repeat(GAP - DIP - 1)
                + " " + "█".repeat(EVALUATED - GAP - 1));
        assertThat(spark.substring(0, 168 - EVALUATED)).isBlank();
        for (String svg : List.of("readiness-overall.health.svg", "readiness-steady.health.svg")) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve(svg).toFile());
            assertThat(doc.getElementsByTagName("polyline").getLength()).as(svg).isEqualTo(2);
        }

        Result missing = grace("report", "--out", dir.resolve("nowhere/r.md").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("grace: report file " + dir.resolve("nowhere/r.md") + ": directory "
                + dir.resolve("nowhere") + " does not exist\n");
    }

    /** Last: it writes. */
    @Test
    @Order(2)
    void runEvaluatesEveryDueHourOnceAndThenNothingIsDue() throws Exception {
        Instant before = lastDue();
        Result run = grace("benchmark", "run");
        Instant after = lastDue();
        assertThat(run.exitCode()).as(run.err()).isZero();
        String head = run.out().lines().findFirst().orElseThrow();
        // hours 20 to the last due one (before or after the command crossed a grace period's end)
        assertThat(head).isIn(
                "Evaluated " + hours(before) + " hours; benchmarks at the latest evaluated hour " + before,
                "Evaluated " + hours(after) + " hours; benchmarks at the latest evaluated hour " + after);
        assertThat(run.out()).contains("overall_health  overall.health");

        Result again = grace("benchmark", "run", "--json");
        JsonNode latest = again.json();
        assertThat(latest).hasSize(2);
        Instant last = Instant.parse(latest.get(0).get("hour").asText());
        assertThat(last).isIn(before, after);
        assertThat(grace("readiness", "--json").json().get("hour").asText()).isEqualTo(last.toString());
        JsonNode history = grace("benchmark", "history", "--metric", "overall.health", "--json").json();
        assertThat(history).hasSize(hours(last) + EVALUATED);
        assertThat(grace("benchmark", "run").out()).startsWith("Nothing was due; benchmarks at the latest evaluated hour ");
    }

    /** The last hour due on the system clock with the default 5-minute grace period. */
    private static Instant lastDue() {
        return Instant.now().minus(Duration.ofMinutes(5)).minus(HOUR).truncatedTo(ChronoUnit.HOURS);
    }

    private int hours(Instant lastDue) {
        return (int) Duration.between(hour(EVALUATED), lastDue).toHours() + 1;
    }
}
