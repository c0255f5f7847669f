package dev.grace.runtime.cognition;

import java.time.Instant;

/**
 * A readiness event, as sent to the alert channels.
 *
 * @param at        when it was raised (the end of the evaluated hour's grace period, on the runtime's clock)
 * @param hour      the evaluated hour it is about
 * @param type      one of {@link dev.grace.runtime.config.CognitionConfig#ALERT_TYPES}, or {@code delivery_failed}
 *                  for an alert a channel could not deliver
 * @param subject   the metric, domain or KPI ({@code domain.kpi}, for a guard flag) it is about
 * @param value     the value that caused it; null when none
 * @param threshold the threshold involved; null when none
 * @param message   one line for people
 * @param overall   the overall scores of the hour
 */
public record Alert(Instant at, Instant hour, String type, String subject, Double value, Double threshold,
                    String message, Scores overall) {
}
