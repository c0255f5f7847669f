package dev.grace.api;

import java.util.Objects;

/**
 * How one piece of the store's maintenance, asked for through {@link RuntimeActions}, went.
 *
 * @param done       whether the work was done and found nothing wrong
 * @param applicable false when this runtime cannot do the work at all (the store is off, the database
 *                   is backed up with its own tools, raw events are off), so asking again will not help;
 *                   {@code done} is false then
 * @param detail     what was done or found, or why not, in one line
 */
public record MaintenanceResult(boolean done, boolean applicable, String detail) {

    public MaintenanceResult {
        Objects.requireNonNull(detail, "detail");
        if (done && !applicable) {
            throw new IllegalArgumentException("maintenance that was not applicable cannot be done: " + detail);
        }
    }

    /** The work was done and found nothing wrong. */
    public static MaintenanceResult done(String detail) {
        return new MaintenanceResult(true, true, detail);
    }

    /** The work failed or found something wrong; another attempt may succeed. */
    public static MaintenanceResult failed(String detail) {
        return new MaintenanceResult(false, true, detail);
    }

    /** This runtime cannot do the work; another attempt will not help. */
    public static MaintenanceResult notApplicable(String detail) {
        return new MaintenanceResult(false, false, detail);
    }
}
