package dev.grace.plugins.transcendence;

import dev.grace.api.MaintenanceResult;
import dev.grace.api.RuntimeActions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The default plan: the runtime's own store maintenance, through {@link RuntimeActions} (each call
 * audited by the runtime with this plugin's id). The tasks:
 * <ol>
 *   <li>{@code purge}: the store's retention purge ({@link RuntimeActions#purgeRetention()});</li>
 *   <li>{@code verify}: recomputes the last closed hour's rollups from the raw events and compares them
 *       with the stored ones ({@link RuntimeActions#verifyHour});</li>
 *   <li>{@code backup} (after {@code verify}, so a store that fails its verify is not backed up): an
 *       online backup of the H2 store into {@code <dataDir>/backups/} ({@link RuntimeActions#backup()}),
 *       at most once per {@code backupInterval}, the first at the plugin's first run.</li>
 * </ol>
 *
 * <p>A result that is not done fails its task, so the task is retried and its dependants do not run, as
 * for any task. A result that is not <i>applicable</i> (store off, raw events off, PostgreSQL, which
 * is backed up with pg_dump) skips the task instead: retrying cannot help, and it would pull
 * {@code task_success} down for a runtime that simply has nothing to maintain. A backup that is not
 * due yet is skipped the same way.
 */
final class MaintenancePlan {

    static final String NAME = "maintenance";

    private final RuntimeActions actions;
    private final Clock clock;
    private final Duration backupInterval;
    /** When the last backup was written; null before the first. Only the plan's runs touch it, one at a time. */
    private volatile Instant lastBackup;

    MaintenancePlan(RuntimeActions actions, Clock clock, Duration backupInterval) {
        this.actions = actions;
        this.clock = clock;
        this.backupInterval = backupInterval;
    }

    Plan plan(Duration timeout, int retries) {
        return new Plan(NAME, List.of(
                Task.builder("purge", this::purge).timeout(timeout).retries(retries).build(),
                Task.builder("verify", this::verify).timeout(timeout).retries(retries).build(),
                Task.builder("backup", this::backup).dependsOn("verify").timeout(timeout).retries(retries).build()));
    }

    void purge() throws Task.Skipped {
        check(actions.purgeRetention());
    }

    void verify() throws Task.Skipped {
        check(actions.verifyHour(lastClosedHour()));
    }

    void backup() throws Task.Skipped {
        Instant last = lastBackup;
        if (last != null && clock.instant().isBefore(last.plus(backupInterval))) {
            // the same words every run until the next backup, so the plugin reports it once
            throw new Task.Skipped("not due: one backup per backupInterval=" + backupInterval + ", the last at " + last);
        }
        Instant now = clock.instant();
        check(actions.backup());
        lastBackup = now;
    }

    /** The start of the hour before the clock's current one. */
    Instant lastClosedHour() {
        return clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    }

    /** Done: the task succeeds. Not applicable: it is skipped. Otherwise it fails with the runtime's words. */
    private static void check(MaintenanceResult result) throws Task.Skipped {
        if (result.done()) {
            return;
        }
        if (!result.applicable()) {
            throw new Task.Skipped(result.detail());
        }
        throw new IllegalStateException(result.detail());
    }
}
