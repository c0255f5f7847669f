package dev.grace.cognition.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.runtime.cognition.KpiReading;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The Markdown report and its SVG charts, from hand-built cognition records. */
class ReportWriterTest {

    private static final Instant LAST = Instant.parse("2026-11-22T09:00:00Z");
    private static final Instant START = LAST.minus(Duration.ofHours(ReportWriter.HOURS - 1));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:07:30Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** A reader over fixed records: what the engine would return, without the engine. */
    private static final class FixedReader implements CognitionReader {
        final Readiness readiness;
        final Status status;
        final Map<String, List<BenchmarkState>> history = new HashMap<>();
        final List<Instant> statusHoursAsked = new ArrayList<>();

        FixedReader(Readiness readiness, Status status) {
            this.readiness = readiness;
            this.status = status;
        }

        @Override
        public Status status() {
            return status;
        }

        @Override
        public Status status(Instant hour) {
            statusHoursAsked.add(hour);
            return status;
        }

        @Override
        public Readiness readiness() {
            return readiness;
        }

        @Override
        public List<BenchmarkState> history(String metric, Instant since) {
            if (!history.containsKey(metric)) { // as the engine does
                throw new IllegalArgumentException("no benchmark history for metric '" + metric + "'");
            }
            return history.get(metric).stream().filter(b -> !b.hour().isBefore(since)).toList();
        }

        @Override
        public List<Alert> alerts(int limit) {
            return List.of();
        }

        @Override
        public Path writeReport(Path file) {
            return ReportWriter.write(this, file, CLOCK);
        }
    }

    private static BenchmarkState state(String name, String metric, Instant hour, Double value, int samples,
                                        String state, String missing) {
        return new BenchmarkState(name, metric, 0.90, "at_least", 168, 24, hour, value, samples, state, missing);
    }

    private static FixedReader sample() {
        BenchmarkState health = state("overall_health", "overall.health", LAST, 0.934, 168, "sustained", "");
        BenchmarkState trust = state("overall_trust", "overall.trust", LAST, 0.8612, 40, "below",
                "overall_trust 0.86: 0.04 below 0.90; weakest domain temporal 0.71");
        BenchmarkState temporal = new BenchmarkState("domain_health", "temporal.health", 0.85, "at_least", 168, 24,
                LAST, null, 3, "insufficient", "3 of 24 samples | none in the last hour");
        Readiness readiness = new Readiness(LAST, List.of(health, trust, temporal), false,
                List.of("Raise overall_trust: 0.04 below 0.90", "temporal.health needs 21 more hours with a value"),
                List.of(new KpiFlag("security", "blocked", "pinned", "every value at 1 | its range limit", LAST)));
        Status status = new Status(LAST, false, new Scores(0.934, 0.8612, null), List.of(
                new DomainStatus("security", new Scores(0.97, 0.95, 0.9), List.of(
                        new KpiReading("blocked", "RATIO", true, 60, 0.97, 0.97),
                        new KpiReading("scans", "COUNT", false, 60, 12.0, null)), 0.031, 0),
                new DomainStatus("temporal", Scores.GAP, List.of(), null, 2)));
        FixedReader reader = new FixedReader(readiness, status);

        List<BenchmarkState> healthHistory = new ArrayList<>();
        for (int i = 0; i < ReportWriter.HOURS; i++) {
            Instant hour = START.plus(Duration.ofHours(i));
            // hours 10..14 are a gap; 20 is a lone value between gaps
            Double v = (i >= 10 && i <= 14) || i == 19 || i == 21 ? null : 0.85 + (i % 11) * 0.01;
            healthHistory.add(state("overall_health", "overall.health", hour, v, 0, "met", ""));
        }
        // a row before the window is not drawn
        healthHistory.add(0, state("overall_health", "overall.health", START.minus(Duration.ofHours(1)), 0.1, 0,
                "below", ""));
        reader.history.put("overall.health", healthHistory);
        return reader;
    }

    @Test
    void reportHasHeaderScoresBenchmarkAndDomainTablesChartsAndNextSteps() throws Exception {
        FixedReader reader = sample();

        Path report = ReportWriter.write(reader, dir.resolve("readiness.md"), CLOCK);

        assertThat(report).isEqualTo(dir.resolve("readiness.md").toAbsolutePath());
        String md = Files.readString(report);
        assertThat(md).startsWith("# Grace readiness report\n\nGenerated at 2026-11-22T10:07:30Z."
                + " Latest evaluated hour: 2026-11-22T09:00:00Z.\n\n**Elevation ready: no** (1 of 3 benchmarks sustained).");
        assertThat(reader.statusHoursAsked).containsExactly(LAST);
        assertThat(md).contains("| health | trust | confidence |\n|---:|---:|---:|\n| 0.93 | 0.86 | — |\n");
        assertThat(md).contains("| benchmark | metric | value | threshold | samples/window | state | missing |");
        assertThat(md).contains("| overall_health | overall.health | 0.93 | ≥ 0.90 | 168/168 | sustained | — |\n");
        assertThat(md).contains("| overall_trust | overall.trust | 0.86 | ≥ 0.90 | 40/168 | below |"
                + " overall_trust 0.86: 0.04 below 0.90; weakest domain temporal 0.71 |\n");
        // a pipe in a cell is escaped so that the row keeps its columns
        assertThat(md).contains("| domain_health | temporal.health | — | ≥ 0.85 | 3/168 | insufficient |"
                + " 3 of 24 samples \\| none in the last hour |\n");
        assertThat(md).contains("| domain | health | trust | confidence | trend | alerts (24h) | KPIs |");
        assertThat(md).contains("| security | 0.97 | 0.95 | 0.90 | +0.03 | 0 | 2 |\n");
        assertThat(md).contains("| temporal | — | — | — | — | 2 | 0 |\n");
        assertThat(md).contains("## Guard\n\n1 flag on health-bearing KPIs", "| domain | KPI | flag | since (hour) | detail |",
                "| security | blocked | pinned | " + LAST + " | every value at 1 \\| its range limit |\n");
        assertThat(md).contains("![overall.health, last 7 days](readiness-overall.health.svg)");
        assertThat(md).contains("![temporal.health, last 7 days](readiness-temporal.health.svg)");
        assertThat(md).contains("threshold ≥ 0.90 (overall_health); 161 of 168 hours with a value.");
        assertThat(md).contains("threshold ≥ 0.85 (domain_health); 0 of 168 hours with a value.");
        assertThat(md).endsWith("## Next steps\n\n1. Raise overall_trust: 0.04 below 0.90\n"
                + "2. temporal.health needs 21 more hours with a value\n");
        assertThat(dir.resolve("readiness-overall.health.svg")).isRegularFile();
        assertThat(dir.resolve("readiness-overall.trust.svg")).isRegularFile();
        assertThat(dir.resolve("readiness-temporal.health.svg")).isRegularFile();
    }

    @Test
    void sparklineInTheReportHasOneCharacterPerHourAndSpacesForGaps() throws Exception {
        Path report = ReportWriter.write(sample(), dir.resolve("r.md"), CLOCK);

        String md = Files.readString(report);
        int at = md.indexOf("### overall.health");
        int from = md.indexOf("```text\n", at) + "```text\n".length();
        String block = md.substring(from, md.indexOf("\n```", from));
        assertThat(block.codePointCount(0, block.length())).isEqualTo(ReportWriter.HOURS);
        assertThat(block.substring(10, 15)).isEqualTo("     ");
        assertThat(block.charAt(19)).isEqualTo(' ');
        assertThat(block.charAt(20)).isNotEqualTo(' ');
        assertThat(block.charAt(21)).isEqualTo(' ');
        // values 0.85..0.95 over the range 0.85..0.95: 0.85 is the lowest bar
        assertThat(block.charAt(0)).isEqualTo('▁');
        assertThat(md).contains("Scale 0.85–0.95; threshold ≥ 0.90 (overall_health);");
    }

    @Test
    void sparklineSplitsTheRangeIntoEightEqualBins() {
        Double[] values = {0.0, 0.124, 0.125, 0.5, 0.874, 0.875, 1.0, null, 1.5, -0.2};

        assertThat(ReportWriter.sparkline(values, 0, 1)).isEqualTo("▁▁▂▅▇██ █▁");
        assertThat(ReportWriter.sparkline(new Double[] {0.7, 0.7}, 0.7, 0.7)).isEqualTo("▅▅");
        assertThat(ReportWriter.sparkline(new Double[] {null, Double.NaN}, 0, 1)).isEqualTo("  ");
    }

    @Test
    void svgIsWellFormedWithAThresholdLineAndBreaksAtGaps() throws Exception {
        ReportWriter.write(sample(), dir.resolve("r.md"), CLOCK);

        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("r-overall.health.svg").toFile());
        Element root = svg.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg.getElementsByTagName("title").item(0).getTextContent())
                .isEqualTo("overall.health, hourly from " + START + " to " + LAST);

        NodeList lines = svg.getElementsByTagName("line");
        assertThat(lines.getLength()).isEqualTo(1);
        Element threshold = (Element) lines.item(0);
        assertThat(threshold.getAttribute("class")).isEqualTo("threshold");
        assertThat(threshold.getAttribute("y1")).isEqualTo(threshold.getAttribute("y2"));
        // 0.90 is halfway in 0.85..0.95: halfway down the 164-pixel plot that starts at y=24
        assertThat(Double.parseDouble(threshold.getAttribute("y1"))).isCloseTo(106.0, org.assertj.core.data.Offset.offset(0.11));

        // runs: hours 0-9, 15-18, 20 (a lone dot), 22-167
        NodeList polylines = svg.getElementsByTagName("polyline");
        assertThat(polylines.getLength()).isEqualTo(3);
        assertThat(((Element) polylines.item(0)).getAttribute("points").split(" ")).hasSize(10);
        assertThat(((Element) polylines.item(1)).getAttribute("points").split(" ")).hasSize(4);
        assertThat(((Element) polylines.item(2)).getAttribute("points").split(" ")).hasSize(146);
        assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(1);
    }

    @Test
    void aMetricWithNoValueGetsAnEmptyChartThatSaysSo() throws Exception {
        ReportWriter.write(sample(), dir.resolve("r.md"), CLOCK);

        String text = Files.readString(dir.resolve("r-temporal.health.svg"));
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(svg.getElementsByTagName("polyline").getLength()).isZero();
        assertThat(svg.getElementsByTagName("circle").getLength()).isZero();
        assertThat(text).contains("no value in these 7 days");
    }

    @Test
    void beforeAnyEvaluationTheChartsEndAtTheClocksLastClosedHour() throws Exception {
        BenchmarkState none = state("overall_health", "overall.health", null, null, 0, "insufficient",
                "no hour evaluated yet");
        Status open = new Status(Instant.parse("2026-11-22T10:00:00Z"), true, Scores.GAP, List.of());
        FixedReader reader = new FixedReader(new Readiness(null, List.of(none), false, List.of()), open);

        ReportWriter.write(reader, dir.resolve("r.md"), CLOCK);

        String md = Files.readString(dir.resolve("r.md"));
        assertThat(reader.statusHoursAsked).isEmpty();
        assertThat(md).contains("Latest evaluated hour: none yet.", "Hour 2026-11-22T10:00:00Z (still open",
                "| — | — | — |", "No domain has plugins.", "to 2026-11-22T09:00:00Z;", "None: nothing to add.");
        assertThat(Files.readString(dir.resolve("r-overall.health.svg"))).contains("to 2026-11-22T09:00:00Z</title>");
    }

    @Test
    void aMissingDirectoryOrADirectoryAsTheFileIsNamed() {
        Path missing = dir.resolve("nope/report.md");
        assertThatThrownBy(() -> ReportWriter.write(sample(), missing, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("report file " + missing + ": directory " + dir.resolve("nope") + " does not exist");
        assertThatThrownBy(() -> ReportWriter.write(sample(), dir, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("report file " + dir + " is a directory; name a .md file");
    }
}
