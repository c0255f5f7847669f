package dev.grace.store;

import java.util.List;

/**
 * What {@code grace verify} found: hourly rollups recomputed from raw events and compared with the
 * stored ones, per node.
 *
 * @param hoursCompared (node, KPI, hour) rows compared
 * @param differences   one line per row that differs, empty when all agree; a row whose hour could not
 *                      be rebuilt after an unclean stop says why on its line
 * @param notRebuilt    one line per (node, hour) that a start after an unclean stop could not rebuild
 *                      from raw events and that verify no longer covers (its raw events are past
 *                      retention), with the reason; such hours do not make the report fail
 */
public record VerifyReport(int hoursCompared, List<String> differences, List<String> notRebuilt) {

    public VerifyReport {
        differences = List.copyOf(differences);
        notRebuilt = List.copyOf(notRebuilt);
    }

    public VerifyReport(int hoursCompared, List<String> differences) {
        this(hoursCompared, differences, List.of());
    }

    public boolean ok() {
        return differences.isEmpty();
    }
}
