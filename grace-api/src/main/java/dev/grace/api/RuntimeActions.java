package dev.grace.api;

import java.time.Instant;

/**
 * What a governing plugin (the reference {@code parliament}) may change in the runtime, and the
 * store maintenance an orchestrating plugin (the reference {@code transcendence}) may run. Every call
 * is checked, recorded in the runtime's audit log with the calling plugin's id, and answers whether
 * it took effect; none throws.
 *
 * <p>Inject it with {@code @Inject RuntimeActions actions} or take it from
 * {@link PluginContext#actions()}.
 */
public interface RuntimeActions {

    /**
     * Stops a plugin and keeps it stopped until the runtime restarts.
     *
     * @return false when there is no such plugin, it is the caller, or it is already quarantined
     */
    boolean quarantine(String pluginId, String reason);

    /**
     * Changes a cognition benchmark's threshold from the next evaluated hour on.
     *
     * @return false when there is no such benchmark, the threshold is not finite, or cognition is off
     */
    boolean setBenchmarkThreshold(String benchmark, double threshold, String reason);

    /**
     * Runs the store's retention purge now: raw events and hourly, daily and weekly rollups past their
     * configured retention. Safe while the runtime writes; deleting twice is harmless.
     *
     * @return not applicable when the store is off; failed when the database fails
     */
    default MaintenanceResult purgeRetention() {
        return MaintenanceResult.notApplicable("this runtime offers no store maintenance");
    }

    /**
     * Recomputes the rollups of the hour starting at {@code hourStart} from the stored raw events and
     * compares them with the stored hourly rollups; the detail says how many KPIs matched and differed.
     *
     * @return failed when any KPI differs; not applicable when the store or raw events are off, or the
     *         hour's raw events are past their retention
     */
    default MaintenanceResult verifyHour(Instant hourStart) {
        return MaintenanceResult.notApplicable("this runtime offers no store maintenance");
    }

    /**
     * Writes a consistent online backup of the embedded H2 store to
     * {@code <dataDir>/backups/grace-<yyyyMMdd-HHmmss>.zip}; the detail names the file.
     *
     * @return not applicable when the store is off or on PostgreSQL (back that up with pg_dump)
     */
    default MaintenanceResult backup() {
        return MaintenanceResult.notApplicable("this runtime offers no store maintenance");
    }
}
