package dev.grace.runtime;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.runtime.internal.rollup.Sketches;

import java.time.Instant;

/**
 * One hour of one KPI in one domain: count, sum, min, max, sum of squares and a mergeable
 * quantile sketch (1% relative accuracy). Immutable; {@link #merge(HourlyRollup)} combines two
 * rollups of the same key exactly, which is how nodes, plugins and days are combined.
 */
public final class HourlyRollup {

    private final String domain;
    private final String kpi;
    private final Instant hourStart;
    private final long count;
    private final double sum;
    private final double min;
    private final double max;
    private final double sumOfSquares;
    private final DDSketch sketch;

    private HourlyRollup(String domain, String kpi, Instant hourStart, long count, double sum, double min,
                         double max, double sumOfSquares, DDSketch sketch) {
        this.domain = domain;
        this.kpi = kpi;
        this.hourStart = hourStart;
        this.count = count;
        this.sum = sum;
        this.min = min;
        this.max = max;
        this.sumOfSquares = sumOfSquares;
        this.sketch = sketch;
    }

    /** Takes ownership of {@code sketch}, which must not be changed afterwards. */
    public static HourlyRollup of(String domain, String kpi, long hourStartMillis, long count, double sum,
                                  double min, double max, double sumOfSquares, DDSketch sketch) {
        return new HourlyRollup(domain, kpi, Instant.ofEpochMilli(hourStartMillis), count, sum, min, max,
                sumOfSquares, sketch);
    }

    /** Combines two rollups of the same domain, KPI and hour. */
    public HourlyRollup merge(HourlyRollup other) {
        if (!domain.equals(other.domain) || !kpi.equals(other.kpi) || !hourStart.equals(other.hourStart)) {
            throw new IllegalArgumentException("cannot merge " + this + " with " + other);
        }
        DDSketch merged = sketch.copy();
        merged.mergeWith(other.sketch);
        return new HourlyRollup(domain, kpi, hourStart, count + other.count, sum + other.sum,
                Math.min(min, other.min), Math.max(max, other.max), sumOfSquares + other.sumOfSquares, merged);
    }

    public String domain() {
        return domain;
    }

    public String kpi() {
        return kpi;
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
        return domain + '/' + kpi + '@' + hourStart + "{count=" + count + ", sum=" + sum + ", min=" + min
                + ", max=" + max + '}';
    }
}
