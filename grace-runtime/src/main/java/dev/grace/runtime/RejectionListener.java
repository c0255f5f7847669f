package dev.grace.runtime;

import dev.grace.api.RejectReason;

/**
 * Told about every rejected value, synchronously on the publishing thread, after it was counted.
 * For test harnesses and diagnostics: keep it cheap. Exceptions it throws are swallowed so they
 * never reach the plugin.
 */
@FunctionalInterface
public interface RejectionListener {

    /**
     * @param pluginId the publishing plugin
     * @param kpi      the KPI name as given ("null" when none was)
     * @param value    the value as given
     * @param reason   why it was refused
     */
    void rejected(String pluginId, String kpi, double value, RejectReason reason);
}
