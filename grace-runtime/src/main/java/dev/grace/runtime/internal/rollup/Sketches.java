package dev.grace.runtime.internal.rollup;

import com.datadoghq.sketch.ddsketch.DDSketch;

/** The one sketch configuration every rollup uses, so that any two sketches can be merged. */
public final class Sketches {

    /** Relative accuracy of every quantile: 1%. */
    public static final double RELATIVE_ACCURACY = 0.01;
    /**
     * Bins per store. With the cubically interpolated mapping at 1% that covers about 17 decades of
     * magnitude before the lowest bins are collapsed, and bounds a sketch to a few kB.
     */
    public static final int MAX_BINS = 2048;

    private Sketches() {
    }

    /** A new empty sketch. */
    public static DDSketch newSketch() {
        return DDSketch.balancedCollapsingLowest(RELATIVE_ACCURACY, MAX_BINS);
    }
}
