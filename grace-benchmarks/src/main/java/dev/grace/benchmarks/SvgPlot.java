package dev.grace.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Curve} as an SVG line plot on log-log axes, so that a straight line is a power
 * law and its slope the exponent the curve's growth names. Hand-written: a few lines, a few
 * circles and some text need no library, and the output is plain text that diffs.
 */
final class SvgPlot {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 380;
    private static final int LEFT = 78;
    private static final int RIGHT = 180;
    private static final int TOP = 36;
    private static final int BOTTOM = 52;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private SvgPlot() {
    }

    /** The SVG document; {@code note} goes under the title (the run's date, commit and load). */
    static String draw(Curve c, String note) {
        List<Curve.Point> all = new ArrayList<>();
        c.series().forEach(s -> s.points().stream().filter(p -> p.x() > 0 && p.y() > 0).forEach(all::add));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(text(LEFT, 16, c.title(), "start", "font-size=\"14\" font-weight=\"bold\""));
        svg.append(text(LEFT, 30, note, "start", "font-size=\"10\" fill=\"#555\""));
        if (all.isEmpty()) {
            svg.append(text(WIDTH / 2, HEIGHT / 2, "not measured in this run", "middle", ""));
            return svg.append("</svg>\n").toString();
        }
        Axis xa = Axis.of(all.stream().mapToDouble(Curve.Point::x).min().orElseThrow(),
                all.stream().mapToDouble(Curve.Point::x).max().orElseThrow(), LEFT, WIDTH - RIGHT);
        Axis ya = Axis.of(all.stream().mapToDouble(Curve.Point::y).min().orElseThrow(),
                all.stream().mapToDouble(Curve.Point::y).max().orElseThrow(), HEIGHT - BOTTOM, TOP);
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = HEIGHT - BOTTOM;
        int y1 = TOP;
        for (double t : xa.ticks()) {
            double px = xa.at(t);
            svg.append(line(px, y0, px, y1, "#e5e5e5"));
            svg.append(text(px, y0 + 16, Curve.num(t), "middle", ""));
        }
        for (double t : ya.ticks()) {
            double py = ya.at(t);
            svg.append(line(x0, py, x1, py, "#e5e5e5"));
            svg.append(text(x0 - 6, py + 4, Curve.num(t), "end", ""));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#333\"/>%n", x0, y1, x1 - x0, y0 - y1));
        svg.append(text((x0 + x1) / 2.0, HEIGHT - 14, c.x() + " (log scale)", "middle", ""));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 16 %.1f)\">%s (log scale)</text>%n", (y0 + y1) / 2.0, (y0 + y1) / 2.0,
                escape(c.y())));
        int i = 0;
        for (Curve.Series s : c.series()) {
            String colour = COLOURS[i % COLOURS.length];
            List<Curve.Point> pts = s.points().stream().filter(p -> p.x() > 0 && p.y() > 0).toList();
            StringBuilder path = new StringBuilder();
            for (Curve.Point p : pts) {
                path.append(path.length() == 0 ? "" : " ")
                        .append(String.format(Locale.ROOT, "%.1f,%.1f", xa.at(p.x()), ya.at(p.y())));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"2\"/>%n", path, colour));
            for (Curve.Point p : pts) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                        + "<title>%s: %s at %s</title></circle>%n", xa.at(p.x()), ya.at(p.y()), colour,
                        escape(s.name()), Curve.num(p.y()), Curve.num(p.x())));
            }
            double ly = TOP + 14 + i * 18;
            svg.append(line(x1 + 12, ly - 4, x1 + 32, ly - 4, colour));
            svg.append(text(x1 + 38, ly, s.name(), "start", ""));
            i++;
        }
        return svg.append("</svg>\n").toString();
    }

    /** A log-scale axis from {@code lo} to {@code hi} (data units) onto pixels {@code from} .. {@code to}. */
    private record Axis(double logLo, double logHi, double from, double to) {

        static Axis of(double lo, double hi, double from, double to) {
            double a = Math.log10(lo);
            double b = Math.log10(hi);
            if (b - a < 0.3) { // under a factor of two: widen around the middle so the line is not a wall
                double mid = (a + b) / 2;
                a = mid - 0.15;
                b = mid + 0.15;
            }
            double pad = (b - a) * 0.06;
            return new Axis(a - pad, b + pad, from, to);
        }

        double at(double v) {
            return from + (Math.log10(v) - logLo) / (logHi - logLo) * (to - from);
        }

        /** Powers of ten inside the axis; with fewer than three of them, also 2× and 5× each. */
        List<Double> ticks() {
            List<Double> decades = new ArrayList<>();
            List<Double> fine = new ArrayList<>();
            for (int e = (int) Math.floor(logLo); e <= Math.ceil(logHi); e++) {
                for (double m : new double[] {1, 2, 5}) {
                    double v = m * Math.pow(10, e);
                    double l = Math.log10(v);
                    if (l >= logLo && l <= logHi) {
                        fine.add(v);
                        if (m == 1) {
                            decades.add(v);
                        }
                    }
                }
            }
            return decades.size() >= 3 ? decades : fine;
        }
    }

    private static String line(double xa, double ya, double xb, double yb, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                xa, ya, xb, yb, colour);
    }

    private static String text(double x, double y, String s, String anchor, String attrs) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>%n", x, y, anchor,
                attrs, escape(s));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
