package dev.grace.runtime.cognition;

/**
 * Health, trust and confidence for one hour, each 0..1; null where the hour has no value (a gap).
 *
 * @param health     how well the domain did: the mean of its normalised health-bearing KPIs
 * @param trust      how far the health figure can be believed: KPI coverage times acceptance
 * @param confidence how stable the health figure is for the samples behind it
 */
public record Scores(Double health, Double trust, Double confidence) {

    /** No value: the hour is a gap. */
    public static final Scores GAP = new Scores(null, null, null);

    /** Whether the hour has a value. */
    public boolean present() {
        return health != null;
    }
}
