package dev.grace.cognition.internal;

import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown readiness report: header, overall scores, the benchmark table, the domain table, the
 * last 7 days of each benchmark metric (an SVG line chart written beside the report and a text
 * sparkline in it) and the next steps. Everything is read through {@link CognitionReader}, so the
 * report of a running runtime and of a data directory are the same.
 *
 * <p>The charts end at the latest evaluated hour, not at the wall clock: a report on a data
 * directory whose runtime stopped days ago shows that runtime's last week, as its benchmark table does.
 * Each chart is a {@link MetricChart}.
 */
public final class ReportWriter {

    /** Hours the charts cover. */
    static final int HOURS = 7 * 24;

    /** The sparkline's eight levels, lowest first; a gap is a space. */
    static final String LEVELS = "▁▂▃▄▅▆▇█";

    private ReportWriter() {
    }

    /**
     * Writes the report to {@code file} and one {@code <name>-<metric>.svg} per benchmark metric beside
     * it ({@code <name>} is the file's name without {@code .md}).
     *
     * @param clock what "generated at" reads; the charts end at the latest evaluated hour, or at the
     *              last closed hour of this clock before any hour was evaluated
     * @return the report's path
     * @throws IllegalArgumentException naming the file when its directory does not exist or it is a directory
     * @throws UncheckedIOException     naming the file that could not be written
     */
    public static Path write(CognitionReader reader, Path file, Clock clock) {
        Path report = file.toAbsolutePath().normalize();
        Path dir = report.getParent();
        if (Files.isDirectory(report)) {
            throw new IllegalArgumentException("report file " + file + " is a directory; name a .md file");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("report file " + file + ": directory " + dir + " does not exist");
        }
        Instant generated = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Readiness readiness = reader.readiness();
        Instant last = readiness.hour();
        Status status = last == null ? reader.status() : reader.status(last);
        Instant end = last != null ? last : generated.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        Instant start = end.minus(Duration.ofHours(HOURS - 1));

        String base = report.getFileName().toString();
        base = base.toLowerCase(Locale.ROOT).endsWith(".md") ? base.substring(0, base.length() - 3) : base;

        StringBuilder md = new StringBuilder();
        header(md, generated, readiness);
        overall(md, status);
        benchmarks(md, readiness);
        domains(md, status);
        flags(md, readiness);

        md.append("## Last 7 days\n\n");
        md.append("One point per hour from ").append(start).append(" to ").append(end)
                .append("; an hour without a value is a gap (a break in the chart, a space in the sparkline).\n\n");
        Map<String, List<BenchmarkState>> byMetric = new LinkedHashMap<>();
        for (BenchmarkState b : readiness.benchmarks()) {
            byMetric.computeIfAbsent(b.metric(), m -> new ArrayList<>()).add(b);
        }
        if (byMetric.isEmpty()) {
            md.append("No benchmarks are configured.\n\n");
        }
        for (Map.Entry<String, List<BenchmarkState>> e : byMetric.entrySet()) {
            String metric = e.getKey();
            Double[] values = hourly(history(reader, metric, start), start);
            MetricChart chart = MetricChart.of(metric, start, end, values, e.getValue());
            String svgName = base + "-" + fileSafe(metric) + ".svg";
            writeFile(dir.resolve(svgName), chart.svg());
            md.append("### ").append(metric).append("\n\n");
            md.append("![").append(metric).append(", last 7 days](").append(svgName).append(")\n\n");
            md.append("```text\n").append(sparkline(values, chart.lo, chart.hi)).append("\n```\n\n");
            md.append("Scale ").append(num(chart.lo)).append("–").append(num(chart.hi)).append("; ");
            for (BenchmarkState b : e.getValue()) {
                md.append("threshold ").append(threshold(b)).append(" (").append(b.name()).append("); ");
            }
            md.append(chart.present()).append(" of ").append(HOURS).append(" hours with a value.\n\n");
        }

        md.append("## Next steps\n\n");
        if (readiness.nextSteps().isEmpty()) {
            md.append("None: ").append(readiness.elevationReady() ? "every benchmark is sustained." : "nothing to add.")
                    .append('\n');
        }
        for (int i = 0; i < readiness.nextSteps().size(); i++) {
            md.append(i + 1).append(". ").append(oneLine(readiness.nextSteps().get(i))).append('\n');
        }
        writeFile(report, md.toString());
        return report;
    }

    private static void header(StringBuilder md, Instant generated, Readiness readiness) {
        md.append("# Grace readiness report\n\n");
        md.append("Generated at ").append(generated).append(". Latest evaluated hour: ")
                .append(readiness.hour() == null ? "none yet" : readiness.hour().toString()).append(".\n\n");
        long sustained = readiness.benchmarks().stream().filter(BenchmarkState::sustained).count();
        md.append("**Elevation ready: ").append(readiness.elevationReady() ? "yes" : "no").append("** (")
                .append(sustained).append(" of ").append(readiness.benchmarks().size())
                .append(" benchmarks sustained).\n\n");
    }

    private static void overall(StringBuilder md, Status status) {
        md.append("## Overall scores\n\n");
        md.append("Hour ").append(status.hour()).append(status.open() ? " (still open: its figures may change)" : "")
                .append(".\n\n");
        Scores s = status.overall();
        md.append("| health | trust | confidence |\n|---:|---:|---:|\n");
        md.append("| ").append(num(s.health())).append(" | ").append(num(s.trust())).append(" | ")
                .append(num(s.confidence())).append(" |\n\n");
    }

    private static void benchmarks(StringBuilder md, Readiness readiness) {
        md.append("## Benchmarks\n\n");
        if (readiness.benchmarks().isEmpty()) {
            md.append("No benchmark has been judged yet.\n\n");
            return;
        }
        md.append("| benchmark | metric | value | threshold | samples/window | state | missing |\n");
        md.append("|---|---|---:|---:|---:|---|---|\n");
        for (BenchmarkState b : readiness.benchmarks()) {
            row(md, b.name(), b.metric(), num(b.value()), threshold(b), b.samples() + "/" + b.windowHours(),
                    b.state(), b.missing() == null || b.missing().isBlank() ? "—" : b.missing());
        }
        md.append('\n');
    }

    private static void domains(StringBuilder md, Status status) {
        md.append("## Domains\n\n");
        if (status.domains().isEmpty()) {
            md.append("No domain has plugins.\n\n");
            return;
        }
        md.append("| domain | health | trust | confidence | trend | alerts (24h) | KPIs |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (DomainStatus d : status.domains()) {
            Scores s = d.scores();
            row(md, d.domain(), num(s.health()), num(s.trust()), num(s.confidence()), signed(d.trend()),
                    Integer.toString(d.alerts()), Integer.toString(d.kpis().size()));
        }
        md.append('\n');
    }

    /** The guard's active flags (docs/cognition.md, "The guard"). */
    private static void flags(StringBuilder md, Readiness readiness) {
        md.append("## Guard\n\n");
        if (readiness.flags().isEmpty()) {
            md.append("No health-bearing KPI is flagged.\n\n");
            return;
        }
        md.append(readiness.flags().size()).append(" flag").append(readiness.flags().size() == 1 ? "" : "s")
                .append(" on health-bearing KPIs; a flagged KPI's evidence counts as uncertain in its domain's"
                        + " confidence.\n\n");
        md.append("| domain | KPI | flag | since (hour) | detail |\n|---|---|---|---|---|\n");
        for (KpiFlag f : readiness.flags()) {
            row(md, f.domain(), f.kpi(), f.flag(), String.valueOf(f.since()), f.detail());
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, String... cells) {
        md.append('|');
        for (String cell : cells) {
            md.append(' ').append(oneLine(cell).replace("|", "\\|")).append(" |");
        }
        md.append('\n');
    }

    /**
     * A metric's history; none for a metric never evaluated (before the first evaluation, or a domain
     * that just got its first plugin), which {@link CognitionReader#history} refuses as unknown.
     */
    private static List<BenchmarkState> history(CognitionReader reader, String metric, Instant since) {
        try {
            return reader.history(metric, since);
        } catch (IllegalArgumentException neverEvaluated) {
            return List.of();
        }
    }

    /** One value per hour from {@code start}, null where history has none; rows outside the window are ignored. */
    static Double[] hourly(List<BenchmarkState> history, Instant start) {
        Double[] values = new Double[HOURS];
        for (BenchmarkState row : history) {
            long i = Duration.between(start, row.hour()).toHours();
            if (i >= 0 && i < HOURS && row.hour().equals(start.plus(Duration.ofHours(i)))) {
                values[(int) i] = row.value();
            }
        }
        return values;
    }

    /**
     * One character per value: {@code lo..hi} split into eight equal bins, {@code ▁} the lowest and
     * {@code █} the highest (values outside the range take the nearest end); a null is a space.
     */
    static String sparkline(Double[] values, double lo, double hi) {
        StringBuilder s = new StringBuilder(values.length);
        for (Double v : values) {
            if (v == null || v.isNaN()) {
                s.append(' ');
                continue;
            }
            int level = hi > lo ? (int) Math.floor((v - lo) / (hi - lo) * LEVELS.length()) : LEVELS.length() / 2;
            s.append(LEVELS.charAt(Math.max(0, Math.min(LEVELS.length() - 1, level))));
        }
        return s.toString();
    }

    /** Two decimals; null as an em dash. */
    static String num(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String signed(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%+.2f", v);
    }

    static String threshold(BenchmarkState b) {
        return ("at_most".equals(b.direction()) ? "≤ " : "≥ ") + num(b.threshold());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Metric names are {@code [a-z0-9_.]} by configuration; anything else would not make a safe file name. */
    private static String fileSafe(String metric) {
        return metric.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void writeFile(Path path, String content) {
        try {
            Files.writeString(path, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report file " + path + ": " + e.getMessage(), e);
        }
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
