package dev.grace.testkit;

import dev.grace.api.RejectReason;

/**
 * A value the runtime refused.
 *
 * @param kpi    the KPI name as given
 * @param value  the value as given
 * @param reason why it was refused
 */
public record Rejected(String kpi, double value, RejectReason reason) {
}
