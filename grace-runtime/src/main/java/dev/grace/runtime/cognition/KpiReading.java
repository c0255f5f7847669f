package dev.grace.runtime.cognition;

/**
 * One KPI of a domain in one hour.
 *
 * @param kpi           its name
 * @param unit          its unit, for example {@code RATIO}
 * @param healthBearing whether it counts toward the domain's health
 * @param count         values accepted in the hour
 * @param mean          their mean; null when none
 * @param normalised    its 0..1 health contribution; null when it does not count or has no value
 */
public record KpiReading(String kpi, String unit, boolean healthBearing, long count, Double mean, Double normalised) {
}
