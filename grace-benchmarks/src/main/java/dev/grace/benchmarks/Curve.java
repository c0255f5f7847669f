package dev.grace.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scale curve: one measured cost against what it scales with, one {@link Series} per setting
 * (for example one per thread count), with the growth each series shows computed from its points.
 *
 * @param id     the file name of its plot, {@code docs/img/<id>.svg}
 * @param title  what is measured, for the plot and the table
 * @param x      what it scales with, e.g. "KPIs"
 * @param y      the cost and its unit, e.g. "ns/op"
 * @param series the measured points
 */
record Curve(String id, String title, String x, String y, List<Series> series) {

    Curve {
        series = List.copyOf(series);
    }

    /** One line of the plot: points in increasing x. */
    record Series(String name, List<Point> points) {

        Series {
            points = points.stream().sorted(java.util.Comparator.comparingDouble(Point::x)).toList();
        }

        /** The growth these points show: see {@link #growth(List)}. */
        String growth() {
            return Curve.growth(points);
        }
    }

    /** One measurement: {@code y} at {@code x}. */
    record Point(double x, double y) {
    }

    /** A log-log slope below this in size is flat: the cost grows less than 15% per tenfold. */
    static final double FLAT = 0.06;
    /** A slope within this of 1 is linear. */
    static final double NEAR_ONE = 0.15;
    /** Two segments whose slopes differ by more than this make a bend. */
    static final double BEND = 0.3;

    /**
     * The growth a series shows, from its log-log slopes between successive points: the slope of
     * {@code log y} against {@code log x} is the exponent {@code b} of {@code y ~ x^b} on that
     * segment — 0 constant, 1 linear, 2 quadratic. Each segment is named by its slope; where the
     * slope of one segment differs from the one before it by more than {@value #BEND} the curve bends,
     * and the bend is placed at the point between them. A point with y ≤ 0 has no logarithm: the
     * growth is then not computed, and says why.
     */
    static String growth(List<Point> points) {
        if (points.size() < 2) {
            return "one point: no growth to state";
        }
        for (Point p : points) {
            if (!(p.y() > 0) || !(p.x() > 0)) {
                return String.format(Locale.ROOT, "not computed: y = %s at x = %s has no logarithm", num(p.y()),
                        num(p.x()));
            }
        }
        List<Double> slopes = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            slopes.add(Math.log(b.y() / a.y()) / Math.log(b.x() / a.x()));
        }
        StringBuilder out = new StringBuilder();
        String shape = shape(slopes.get(0));
        out.append(shape);
        for (int i = 1; i < slopes.size(); i++) {
            String next = shape(slopes.get(i));
            if (Math.abs(slopes.get(i) - slopes.get(i - 1)) > BEND && !next.equals(shape)) {
                out.append(", bends at ").append(num(points.get(i).x())).append(" to ").append(next);
                shape = next;
            }
        }
        StringBuilder list = new StringBuilder();
        for (double s : slopes) {
            list.append(list.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.2f", s));
        }
        return out.append(" (log-log slope").append(slopes.size() == 1 ? " " : "s ").append(list).append(')').toString();
    }

    /** A name for a log-log slope. */
    static String shape(double slope) {
        if (Math.abs(slope) < FLAT) {
            return "constant";
        }
        if (slope < 0) {
            return "falling";
        }
        if (Math.abs(slope - 1) <= NEAR_ONE) {
            return "linear";
        }
        if (slope < 1) {
            return String.format(Locale.ROOT, "sublinear (~x^%.1f)", slope);
        }
        if (Math.abs(slope - 2) <= NEAR_ONE) {
            return "quadratic";
        }
        return String.format(Locale.ROOT, "superlinear (~x^%.1f)", slope);
    }

    /** A number as a person reads it: 100,000 or 0.25 or 1.2e-05. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 0.001 || a >= 1e12)) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        if (v == Math.rint(v) || a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, a >= 1 ? "%.2f" : "%.3f", v);
    }
}
