package dev.grace.micrometer;

/**
 * What {@link MicrometerSource} reads from the host's meters matched by one mapping, each step.
 * Counts and totals are deltas since the previous step, summed over the matched meters.
 */
public enum Reading {
    /** Events in the step: the change of a timer's, summary's or counter's count. */
    COUNT,
    /**
     * The change of a timer's total time (in the KPI's time unit), a summary's total amount or a
     * counter's count in the step.
     */
    TOTAL,
    /** Total over count in the step: the mean of the step's events; no value in a step without events. */
    MEAN,
    /**
     * The largest of the matched timers' or summaries' maxima, read in a step with events. Micrometer
     * keeps a decaying maximum over its own distribution expiry (two minutes by default), not over
     * the source's step.
     */
    MAX,
    /** Each matched gauge's value, or each counter's cumulative count: one value per meter. */
    VALUE
}
