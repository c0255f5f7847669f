package dev.grace.runtime.internal.rollup;

import dev.grace.api.Kpi;

import java.util.HashSet;
import java.util.Set;

/**
 * The bound on distinct series of one KPI in one domain, shared by every plugin (and the HTTP
 * publisher) of that domain: the first {@link Kpi#maxSeries()} attribute sets bound get series of
 * their own, later new ones go to the overflow series, and a set already admitted stays admitted
 * for every publisher. Consulted only when a series is bound, never when a value is recorded.
 */
final class SeriesBudget {

    private final int max;
    /** The series keys admitted. Guarded by this. */
    private final Set<String> admitted = new HashSet<>();

    SeriesBudget(int max) {
        this.max = max;
    }

    /** A budget of the KPI's own bound, for an accumulator made outside a registry (tests). */
    static SeriesBudget own(Kpi kpi) {
        return new SeriesBudget(kpi.maxSeries());
    }

    /** Whether the series with this key has (or now gets) a series of its own. */
    synchronized boolean admit(String key) {
        if (admitted.contains(key)) {
            return true;
        }
        if (admitted.size() >= max) {
            return false;
        }
        admitted.add(key);
        return true;
    }

    /** Series admitted so far. */
    synchronized int size() {
        return admitted.size();
    }
}
