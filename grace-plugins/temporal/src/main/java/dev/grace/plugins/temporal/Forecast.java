package dev.grace.plugins.temporal;

import java.time.Instant;

/**
 * A forecast of one KPI's mean over one hour, waiting for that hour to close.
 *
 * @param domain    the KPI's domain
 * @param kpi       the KPI's name
 * @param hour      the start of the forecast hour
 * @param predicted the forecast hourly mean
 * @param madeAt    when it was made, on the runtime's clock
 */
public record Forecast(String domain, String kpi, Instant hour, double predicted, Instant madeAt) {

    /** The end of the forecast hour: from then on it can be scored. */
    public Instant hourEnd() {
        return hour.plusSeconds(3600);
    }

    /** The key it is held under: one forecast per KPI and hour. */
    String key() {
        return domain + '\t' + kpi + '\t' + hour.toEpochMilli();
    }
}
