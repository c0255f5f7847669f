package dev.grace.store;

import java.util.Optional;

/**
 * What {@code grace audit verify} found.
 *
 * @param rowsChecked rows read, up to and including the first broken one
 * @param firstBroken the first broken row and why, empty when the chain holds
 */
public record AuditVerdict(long rowsChecked, Optional<String> firstBroken) {

    public boolean ok() {
        return firstBroken.isEmpty();
    }
}
