package dev.grace.cognition.internal;

import dev.grace.runtime.cognition.BenchmarkState;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One metric's chart in the {@link ReportWriter}'s report: the value range it spans and its SVG, a line
 * per run of hours with a value and a dashed line per benchmark threshold.
 */
final class MetricChart {

    /** The smallest value range a chart spans, so that noise of 0.001 does not fill the height. */
    static final double MIN_SPAN = 0.1;

    static final int WIDTH = 720;
    static final int HEIGHT = 220;
    private static final int LEFT = 48;
    private static final int RIGHT = 16;
    private static final int TOP = 24;
    private static final int BOTTOM = 32;

    final String metric;
    final Instant start;
    final Instant end;
    final Double[] values;
    final List<BenchmarkState> benchmarks;
    final double lo;
    final double hi;

    private MetricChart(String metric, Instant start, Instant end, Double[] values, List<BenchmarkState> benchmarks,
                  double lo, double hi) {
        this.metric = metric;
        this.start = start;
        this.end = end;
        this.values = values;
        this.benchmarks = benchmarks;
        this.lo = lo;
        this.hi = hi;
    }

    /**
     * The range spans every value and every threshold, at least {@link #MIN_SPAN} wide, kept inside
     * 0..1 when the figures are (scores always are).
     */
    static MetricChart of(String metric, Instant start, Instant end, Double[] values, List<BenchmarkState> benchmarks) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Double v : values) {
            if (v != null && !v.isNaN()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        for (BenchmarkState b : benchmarks) {
            lo = Math.min(lo, b.threshold());
            hi = Math.max(hi, b.threshold());
        }
        if (lo > hi) { // no value and no threshold
            lo = 0;
            hi = 1;
        }
        boolean unit = lo >= 0 && hi <= 1;
        if (hi - lo < MIN_SPAN) {
            double mid = (lo + hi) / 2;
            lo = mid - MIN_SPAN / 2;
            hi = mid + MIN_SPAN / 2;
            if (unit && lo < 0) {
                hi -= lo;
                lo = 0;
            } else if (unit && hi > 1) {
                lo -= hi - 1;
                hi = 1;
            }
        }
        return new MetricChart(metric, start, end, values, List.copyOf(benchmarks), lo, hi);
    }

    int present() {
        int n = 0;
        for (Double v : values) {
            n += v == null || v.isNaN() ? 0 : 1;
        }
        return n;
    }

    private double x(int i) {
        int plot = WIDTH - LEFT - RIGHT;
        return LEFT + (values.length <= 1 ? 0 : (double) i * plot / (values.length - 1));
    }

    private double y(double v) {
        int plot = HEIGHT - TOP - BOTTOM;
        double clamped = Math.max(lo, Math.min(hi, v));
        return TOP + (hi - clamped) / (hi - lo) * plot;
    }

    /** A line per run of consecutive hours with a value (a lone hour is a dot), so gaps are breaks. */
    String svg() {
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("  <title>").append(ReportWriter.xml(metric)).append(", hourly from ").append(start).append(" to ")
                .append(end).append("</title>\n");
        s.append("  <rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" fill=\"#ffffff\"/>\n");
        s.append("  <text x=\"").append(LEFT).append("\" y=\"16\" font-size=\"13\">").append(ReportWriter.xml(metric))
                .append("</text>\n");
        s.append("  <rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(HEIGHT - TOP - BOTTOM)
                .append("\" fill=\"none\" stroke=\"#cccccc\"/>\n");
        axisLabel(s, hi);
        axisLabel(s, lo);
        for (BenchmarkState b : benchmarks) {
            String y = c(y(b.threshold()));
            s.append("  <line class=\"threshold\" x1=\"").append(LEFT).append("\" y1=\"").append(y)
                    .append("\" x2=\"").append(WIDTH - RIGHT).append("\" y2=\"").append(y)
                    .append("\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>\n");
            s.append("  <text x=\"").append(WIDTH - RIGHT - 4).append("\" y=\"").append(c(y(b.threshold()) - 4))
                    .append("\" text-anchor=\"end\" fill=\"#c0392b\">").append(ReportWriter.xml(b.name())).append(' ')
                    .append(ReportWriter.xml(ReportWriter.threshold(b))).append("</text>\n");
        }
        int i = 0;
        while (i < values.length) {
            if (values[i] == null || values[i].isNaN()) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < values.length && values[j + 1] != null && !values[j + 1].isNaN()) {
                j++;
            }
            if (i == j) {
                s.append("  <circle class=\"value\" cx=\"").append(c(x(i))).append("\" cy=\"")
                        .append(c(y(values[i]))).append("\" r=\"2\" fill=\"#2c3e50\"/>\n");
            } else {
                s.append("  <polyline class=\"value\" fill=\"none\" stroke=\"#2c3e50\" stroke-width=\"1.5\" points=\"");
                for (int k = i; k <= j; k++) {
                    s.append(k > i ? " " : "").append(c(x(k))).append(',').append(c(y(values[k])));
                }
                s.append("\"/>\n");
            }
            i = j + 1;
        }
        if (present() == 0) {
            s.append("  <text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                    .append("\" text-anchor=\"middle\" fill=\"#888888\">no value in these 7 days</text>\n");
        }
        s.append("  <text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 10).append("\">")
                .append(start).append("</text>\n");
        s.append("  <text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 10)
                .append("\" text-anchor=\"end\">").append(end).append("</text>\n");
        s.append("</svg>\n");
        return s.toString();
    }

    private void axisLabel(StringBuilder s, double v) {
        s.append("  <text x=\"").append(LEFT - 4).append("\" y=\"").append(c(y(v) + 4))
                .append("\" text-anchor=\"end\">").append(ReportWriter.num(v)).append("</text>\n");
    }

    private static String c(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
