package dev.grace.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Grace's {@code /metrics} writer against the Prometheus project's own (client_java 1.x): the same
 * families, handed to both, give the same bytes in the text format and in OpenMetrics.
 */
class PrometheusTextLibraryTest {

    private static final String[] LABEL_NAMES = {"code", "domain", "kpi", "publisher", "reason", "score", "a", "zeta"};
    private static final String[] LABEL_VALUES = {"", "core", "Core", "core2", "a\"b", "back\\slash", "two\nlines",
            "ünï©ødé ✓", "http:security", "  spaced  ", "OUT_OF_RANGE", "{}=,"};
    private static final double[] VALUES = {0, -0.0, 1, 2, 0.1, 0.25, 1e-7, 1.5e21, 123456789012345.0, 1e15 + 1,
            Double.MIN_VALUE, Double.MAX_VALUE, Long.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -3.75};
    private static final String[] UNITS = {null, "seconds", "bytes", "ratio", "per_second"};

    @Test
    void writesWhatTheLibraryWritesForTheSameFamilies() throws IOException {
        Random random = new Random(18);
        for (int round = 0; round < 300; round++) {
            PrometheusText ours = new PrometheusText();
            List<MetricSnapshot> theirs = new ArrayList<>();
            int families = 1 + random.nextInt(6);
            Set<String> names = new HashSet<>();
            for (int f = 0; f < families; f++) {
                String base = "grace_family_" + (char) ('a' + random.nextInt(26)) + (random.nextBoolean() ? "_x" : "");
                int kind = random.nextInt(4);
                String unit = kind == 1 || kind == 3 ? null : UNITS[random.nextInt(UNITS.length)];
                String name = unit == null ? base : base + "_" + unit;
                if (!names.add(name)) {
                    continue;
                }
                String help = "Help for " + name + (random.nextBoolean() ? " with \"quotes\", a \\ and a\nnewline" : ".");
                List<String[]> points = labelSets(random);
                switch (kind) {
                    case 0 -> {
                        PrometheusText.Family mine = ours.gauge(name, help, unit);
                        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
                        if (unit != null) {
                            b.unit(new Unit(unit));
                        }
                        for (String[] labels : points) {
                            double v = VALUES[random.nextInt(VALUES.length)];
                            mine.sample(v, labels);
                            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of(labels)).value(v).build());
                        }
                        theirs.add(b.build());
                    }
                    case 1 -> {
                        PrometheusText.Family mine = ours.counter(base, help);
                        CounterSnapshot.Builder b = CounterSnapshot.builder().name(base).help(help);
                        for (String[] labels : points) {
                            double v = Math.abs(VALUES[random.nextInt(VALUES.length)]);
                            v = Double.isNaN(v) ? random.nextInt(1000) : v;
                            mine.sample(v, labels);
                            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(v).build());
                        }
                        theirs.add(b.build());
                    }
                    case 2 -> {
                        PrometheusText.Family mine = ours.summary(name, help, unit);
                        SummarySnapshot.Builder b = SummarySnapshot.builder().name(name).help(help);
                        if (unit != null) {
                            b.unit(new Unit(unit));
                        }
                        for (String[] labels : points) {
                            double[] q = new double[PrometheusText.QUANTILES.length];
                            Quantiles.Builder qb = Quantiles.builder();
                            for (int i = 0; i < q.length; i++) {
                                q[i] = VALUES[random.nextInt(VALUES.length)];
                                qb.quantile(PrometheusText.QUANTILES[i], q[i]);
                            }
                            long count = random.nextInt(3) == 0 ? 1L << 53 : random.nextInt(100_000);
                            double sum = VALUES[random.nextInt(VALUES.length)];
                            mine.summary(count, sum, q, labels);
                            b.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(Labels.of(labels))
                                    .quantiles(qb.build()).count(count).sum(sum).build());
                        }
                        theirs.add(b.build());
                    }
                    default -> {
                        PrometheusText.Family mine = ours.info(base, help);
                        InfoSnapshot.Builder b = InfoSnapshot.builder().name(base).help(help);
                        for (String[] labels : points) {
                            mine.info(labels);
                            b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of(labels)).build());
                        }
                        theirs.add(b.build());
                    }
                }
            }
            MetricSnapshots snapshots = new MetricSnapshots(theirs);
            assertThat(text(ours.render(PrometheusText.Format.TEXT))).as("text format, round " + round)
                    .isEqualTo(library(snapshots, false));
            assertThat(text(ours.render(PrometheusText.Format.OPENMETRICS))).as("OpenMetrics, round " + round)
                    .isEqualTo(library(snapshots, true));
        }
    }

    @Test
    void contentTypesAreTheLibrarys() {
        assertThat(PrometheusText.Format.TEXT.contentType()).isEqualTo(PrometheusTextFormatWriter.create().getContentType());
        assertThat(PrometheusText.Format.OPENMETRICS.contentType())
                .isEqualTo(OpenMetricsTextFormatWriter.create().getContentType());
    }

    @Test
    void familiesWithoutSamplesAreLeftOutAsTheLibraryLeavesThemOut() throws IOException {
        PrometheusText ours = new PrometheusText();
        ours.counter("grace_values_rejected", "Values rejected.");
        ours.gauge("grace_up", "Up.", null).sample(1);
        MetricSnapshots snapshots = MetricSnapshots.of(
                CounterSnapshot.builder().name("grace_values_rejected").help("Values rejected.").build(),
                GaugeSnapshot.builder().name("grace_up").help("Up.")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build()).build());

        assertThat(text(ours.render(PrometheusText.Format.TEXT))).isEqualTo(library(snapshots, false))
                .isEqualTo("# HELP grace_up Up.\n# TYPE grace_up gauge\ngrace_up 1.0\n");
        assertThat(text(ours.render(PrometheusText.Format.OPENMETRICS))).isEqualTo(library(snapshots, true))
                .endsWith("grace_up 1.0\n# EOF\n");
    }

    @Test
    void openMetricsIsChosenOnlyWhenTheAcceptHeaderAsksForIt() {
        String prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        assertThat(PrometheusText.Format.accepted(prometheus)).isEqualTo(PrometheusText.Format.OPENMETRICS);
        assertThat(PrometheusText.Format.accepted("Application/OpenMetrics-Text")).isEqualTo(PrometheusText.Format.OPENMETRICS);
        assertThat(PrometheusText.Format.accepted(null)).isEqualTo(PrometheusText.Format.TEXT);
        assertThat(PrometheusText.Format.accepted("*/*")).isEqualTo(PrometheusText.Format.TEXT);
        assertThat(PrometheusText.Format.accepted("text/plain;version=0.0.4")).isEqualTo(PrometheusText.Format.TEXT);
        assertThat(PrometheusText.Format.accepted("application/openmetrics-text; q=0")).isEqualTo(PrometheusText.Format.TEXT);
        assertThat(PrometheusText.Format.accepted("application/openmetrics-text; version=2.0.0"))
                .isEqualTo(PrometheusText.Format.TEXT);
    }

    /** Distinct label sets of distinct names, none named {@code quantile}; sometimes one without labels. */
    private static List<String[]> labelSets(Random random) {
        Set<String> seen = new LinkedHashSet<>();
        List<String[]> out = new ArrayList<>();
        int n = random.nextInt(7);
        for (int i = 0; i < n; i++) {
            int size = random.nextInt(4);
            List<String> pairs = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (int j = 0; j < size; j++) {
                String label = LABEL_NAMES[random.nextInt(LABEL_NAMES.length)];
                if (used.add(label)) {
                    pairs.add(label);
                    pairs.add(LABEL_VALUES[random.nextInt(LABEL_VALUES.length)]);
                }
            }
            String[] labels = pairs.toArray(String[]::new);
            if (seen.add(Labels.of(labels).toString())) {
                out.add(labels);
            }
        }
        return out;
    }

    private static String library(MetricSnapshots snapshots, boolean openMetrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (openMetrics) {
            OpenMetricsTextFormatWriter.create().write(out, snapshots);
        } else {
            PrometheusTextFormatWriter.create().write(out, snapshots);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
