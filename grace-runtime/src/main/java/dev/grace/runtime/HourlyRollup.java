package dev.grace.runtime;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.internal.rollup.Sketches;

import java.time.Instant;
import java.util.Map;

/**
 * One hour of one series of one KPI in one domain: count, sum, min, max, sum of squares and a
 * mergeable quantile sketch (1% relative accuracy). Immutable; {@link #merge(HourlyRollup)} combines
 * two rollups of the same key exactly, which is how nodes, plugins and days are combined.
 *
 * <p>The series is {@link SeriesKey#TOTAL} ({@code ""}) for the KPI's total, which is every value
 * of the KPI (merged from its series' sketches when it has attributes), or a canonical
 * {@link SeriesKey} for one attribute set, or {@link SeriesKey#OVERFLOW}. A KPI without attributes
 * has only total rollups.
 */
public final class HourlyRollup {

    private final String domain;
    private final String kpi;
    private final String series;
    private final Instant hourStart;
    private final long count;
    private final double sum;
    private final double min;
    private final double max;
    private final double sumOfSquares;
    private final DDSketch sketch;

    private HourlyRollup(String domain, String kpi, String series, Instant hourStart, long count, double sum,
                         double min, double max, double sumOfSquares, DDSketch sketch) {
        this.domain = domain;
        this.kpi = kpi;
        this.series = series;
        this.hourStart = hourStart;
        this.count = count;
        this.sum = sum;
        this.min = min;
        this.max = max;
        this.sumOfSquares = sumOfSquares;
        this.sketch = sketch;
    }

    /** A KPI's total; takes ownership of {@code sketch}, which must not be changed afterwards. */
    public static HourlyRollup of(String domain, String kpi, long hourStartMillis, long count, double sum,
                                  double min, double max, double sumOfSquares, DDSketch sketch) {
        return of(domain, kpi, SeriesKey.TOTAL, hourStartMillis, count, sum, min, max, sumOfSquares, sketch);
    }

    /**
     * One series ({@link SeriesKey}; {@code ""} for the total); takes ownership of {@code sketch},
     * which must not be changed afterwards.
     */
    public static HourlyRollup of(String domain, String kpi, String series, long hourStartMillis, long count,
                                  double sum, double min, double max, double sumOfSquares, DDSketch sketch) {
        return new HourlyRollup(domain, kpi, series == null ? SeriesKey.TOTAL : series,
                Instant.ofEpochMilli(hourStartMillis), count, sum, min, max, sumOfSquares, sketch);
    }

    /** Combines two rollups of the same domain, KPI, series and hour. */
    public HourlyRollup merge(HourlyRollup other) {
        if (!series.equals(other.series)) {
            throw new IllegalArgumentException("cannot merge " + this + " with " + other);
        }
        return mergeInto(series, other);
    }

    /**
     * Combines two rollups of the same domain, KPI and hour, of any series, into one of
     * {@code series}: how a KPI's total is merged from its series.
     */
    public HourlyRollup mergeAs(String series, HourlyRollup other) {
        return mergeInto(series, other);
    }

    /** This rollup's figures under another series key (a series' rollup as the first part of a total). */
    public HourlyRollup as(String series) {
        return series.equals(this.series) ? this
                : new HourlyRollup(domain, kpi, series, hourStart, count, sum, min, max, sumOfSquares, sketch);
    }

    private HourlyRollup mergeInto(String series, HourlyRollup other) {
        if (!domain.equals(other.domain) || !kpi.equals(other.kpi) || !hourStart.equals(other.hourStart)) {
            throw new IllegalArgumentException("cannot merge " + this + " with " + other);
        }
        DDSketch merged = sketch.copy();
        merged.mergeWith(other.sketch);
        return new HourlyRollup(domain, kpi, series, hourStart, count + other.count, sum + other.sum,
                Math.min(min, other.min), Math.max(max, other.max), sumOfSquares + other.sumOfSquares, merged);
    }

    public String domain() {
        return domain;
    }

    public String kpi() {
        return kpi;
    }

    /** The series' canonical key ({@link SeriesKey}): {@code ""} for the KPI's total. */
    public String series() {
        return series;
    }

    /** The series' attributes, sorted by key; empty for the total and the overflow series. */
    public Map<String, String> attributes() {
        return SeriesKey.parse(series);
    }

    /** Whether this is the KPI's total rather than one series. */
    public boolean isTotal() {
        return series.isEmpty();
    }

    /** The hour's first instant, UTC. */
    public Instant hourStart() {
        return hourStart;
    }

    public long count() {
        return count;
    }

    public double sum() {
        return sum;
    }

    /** The smallest value; +Infinity when the count is zero. */
    public double min() {
        return min;
    }

    /** The largest value; -Infinity when the count is zero. */
    public double max() {
        return max;
    }

    public double sumOfSquares() {
        return sumOfSquares;
    }

    /** The mean, or NaN when the count is zero. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The population standard deviation, or NaN when the count is zero. */
    public double stddev() {
        if (count == 0) {
            return Double.NaN;
        }
        if (min == max) {
            return 0; // exactly; the formula below would leave rounding residue such as 1e-8
        }
        double mean = sum / count;
        return Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean));
    }

    /**
     * The value at quantile {@code q} (0..1) by nearest rank (the smallest value with at least a
     * share q of the values at or below it), within 1% relative error and never outside the exact
     * [min, max]; NaN when the count is zero.
     */
    public double quantile(double q) {
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be within [0, 1], got " + q);
        }
        if (sketch.isEmpty()) {
            return Double.NaN;
        }
        // Nearest rank: the smallest value with at least q of the values at or below it. DDSketch
        // ranks by q * (n - 1) rounded down, which makes the p95 of two values the lower one.
        double n = sketch.getCount();
        double sketchQ = n <= 1 ? q : Math.max(0, Math.ceil(q * n) - 1) / (n - 1);
        return Math.max(min, Math.min(max, sketch.getValueAtQuantile(Math.min(1, sketchQ))));
    }

    /** The sketch in DDSketch's compact binary encoding, as the store keeps it; read back with the store's API. */
    public byte[] sketchEncoded() {
        return Sketches.encode(sketch);
    }

    @Override
    public String toString() {
        return domain + '/' + kpi + (series.isEmpty() ? "" : "{" + series + "}") + '@' + hourStart + "{count=" + count + ", sum=" + sum + ", min=" + min
                + ", max=" + max + '}';
    }
}
