package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.runtime.internal.rollup.KpiAccumulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a plugin's KPIs to their accumulators. The hot path looks a {@link Kpi} up by identity
 * in a small open-addressed table (a plugin publishes through the constants it declared), which
 * costs a header read and a compare; an equal but distinct instance falls back to {@code equals},
 * and names go through a hash map. Immutable once built.
 */
final class KpiTable {

    private final Kpi[] keys;
    private final KpiAccumulator[] values;
    private final int mask;
    private final Map<Kpi, KpiAccumulator> byValue = new HashMap<>();
    private final Map<String, KpiAccumulator> byName = new HashMap<>();

    KpiTable(List<KpiAccumulator> accumulators) {
        int capacity = Integer.highestOneBit(Math.max(4, accumulators.size() * 4 - 1)) << 1;
        keys = new Kpi[capacity];
        values = new KpiAccumulator[capacity];
        mask = capacity - 1;
        for (KpiAccumulator acc : accumulators) {
            int i = System.identityHashCode(acc.kpi()) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = acc.kpi();
            values[i] = acc;
            byValue.put(acc.kpi(), acc);
            byName.put(acc.kpi().name(), acc);
        }
    }

    /** The accumulator for this declared KPI, or null when the plugin did not declare it. */
    KpiAccumulator get(Kpi kpi) {
        int i = System.identityHashCode(kpi) & mask;
        Kpi k;
        while ((k = keys[i]) != null) {
            if (k == kpi) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return kpi == null ? null : byValue.get(kpi);
    }

    /** The accumulator for the declared KPI with this name, or null. */
    KpiAccumulator get(String name) {
        return name == null ? null : byName.get(name);
    }
}
