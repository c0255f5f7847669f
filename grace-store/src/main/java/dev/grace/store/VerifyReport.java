package dev.grace.store;

import java.util.List;

/**
 * What {@code grace verify} found: hourly rollups recomputed from raw events and compared with the
 * stored ones, per node.
 *
 * @param hoursCompared (node, KPI, hour) rows compared
 * @param differences   one line per row that differs, empty when all agree
 */
public record VerifyReport(int hoursCompared, List<String> differences) {

    public VerifyReport {
        differences = List.copyOf(differences);
    }

    public boolean ok() {
        return differences.isEmpty();
    }
}
