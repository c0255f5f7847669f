package dev.grace.plugins.temporal;

/**
 * Holt's linear trend method (double exponential smoothing): a level and a trend, each smoothed,
 * forecasting {@code level + h * trend} for {@code h} steps ahead.
 *
 * <p>The level starts at the first value and the trend at the first difference, so the first
 * one-step prediction equals the second value by construction; the one-step-ahead errors that judge
 * a pair of smoothing constants are those from the third value on.
 *
 * @param alpha the level's smoothing constant, in (0, 1)
 * @param beta  the trend's smoothing constant, in (0, 1)
 * @param level the smoothed level after the last value
 * @param trend the smoothed trend (change per step) after the last value
 * @param sse   the sum of squared one-step-ahead errors over the series, from the third value on
 */
public record Holt(double alpha, double beta, double level, double trend, double sse) {

    /** The fewest values {@link #fit(double[])} works from: two to start, one to judge by. */
    public static final int MIN_VALUES = 3;

    /** The smoothing constants {@link #fit(double[])} tries: 0.05, 0.10, ... 0.95 for each. */
    private static final double STEP = 0.05;

    /** Smooths {@code y} with the given constants. */
    public static Holt smooth(double[] y, double alpha, double beta) {
        if (!(alpha > 0 && alpha < 1) || !(beta > 0 && beta < 1)) {
            throw new IllegalArgumentException("Holt's smoothing constants must be in (0, 1), got alpha "
                    + alpha + " and beta " + beta);
        }
        if (y.length < 2) {
            throw new IllegalArgumentException("Holt's method needs at least 2 values, got " + y.length);
        }
        double level = y[0];
        double trend = y[1] - y[0];
        double sse = 0;
        for (int t = 1; t < y.length; t++) {
            double predicted = level + trend;
            if (t >= 2) {
                double e = y[t] - predicted;
                sse += e * e;
            }
            double previous = level;
            level = alpha * y[t] + (1 - alpha) * predicted;
            trend = beta * (level - previous) + (1 - beta) * trend;
        }
        return new Holt(alpha, beta, level, trend, sse);
    }

    /**
     * Chooses alpha and beta on a grid of step 0.05 by the smallest sum of squared one-step-ahead
     * errors over {@code y} (the first such pair on ties, smaller constants first) and smooths with them.
     */
    public static Holt fit(double[] y) {
        if (y.length < MIN_VALUES) {
            throw new IllegalArgumentException("fitting Holt's method needs at least " + MIN_VALUES
                    + " values, got " + y.length);
        }
        Holt best = null;
        for (int a = 1; a * STEP < 1 - 1e-9; a++) {
            for (int b = 1; b * STEP < 1 - 1e-9; b++) {
                Holt h = smooth(y, a * STEP, b * STEP);
                if (best == null || h.sse < best.sse) {
                    best = h;
                }
            }
        }
        return best;
    }

    /** The forecast {@code steps} steps after the last value. */
    public double forecast(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a forecast is at least 1 step ahead, got " + steps);
        }
        return level + steps * trend;
    }
}
