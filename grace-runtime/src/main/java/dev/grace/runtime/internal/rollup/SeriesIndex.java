package dev.grace.runtime.internal.rollup;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The series bound on one KPI, found by attribute set without allocating: a lookup asks the
 * caller's map for each declared key ({@code map.get}, at most four), hashes the values it gets
 * and probes an open-addressed table, so any {@link Map} implementation is looked up for the cost
 * of a few {@code get}s and a probe. Readers take no lock; writers hold the owning accumulator's
 * monitor and publish each entry (immutable, final fields) with one array store, and a grown
 * table with one volatile store.
 */
final class SeriesIndex {

    /** One attribute set: its value under each declared key (null where absent) and its series. */
    private record Entry(String[] values, int hash, KpiAccumulator series) {
    }

    private final String[] keys;
    private volatile Entry[] table = new Entry[16];
    /** Guarded by the owner's monitor. */
    private int size;

    SeriesIndex(List<String> declaredKeys) {
        this.keys = declaredKeys.toArray(new String[0]);
    }

    /**
     * The series of the set equal to {@code attributes}, or null when none is held (or the set has
     * a key not declared or a null value, which no held set has). Allocates nothing; throws only
     * when the caller's map does.
     */
    KpiAccumulator find(Map<String, String> attributes) {
        int n = attributes.size();
        if (n == 0 || n > keys.length) {
            return null;
        }
        int hash = 1;
        int found = 0;
        for (String key : keys) {
            String v = attributes.get(key);
            if (v != null) {
                found++;
                hash = 31 * hash + v.hashCode();
            } else {
                hash = 31 * hash;
            }
        }
        if (found != n) {
            return null;
        }
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = mix(hash) & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null) {
                return null;
            }
            if (e.hash == hash && matches(e.values, attributes)) {
                return e.series;
            }
        }
    }

    private boolean matches(String[] values, Map<String, String> attributes) {
        for (int k = 0; k < keys.length; k++) {
            if (!Objects.equals(values[k], attributes.get(keys[k]))) {
                return false;
            }
        }
        return true;
    }

    /** Adds a checked set (declared keys, non-null values) not held yet. Caller holds the owner's monitor. */
    void add(Map<String, String> checked, KpiAccumulator series) {
        String[] values = new String[keys.length];
        int hash = 1;
        for (int k = 0; k < keys.length; k++) {
            values[k] = checked.get(keys[k]);
            hash = 31 * hash + (values[k] == null ? 0 : values[k].hashCode());
        }
        Entry[] t = table;
        if ((size + 1) * 2 > t.length) {
            Entry[] grown = new Entry[t.length * 2];
            for (Entry e : t) {
                if (e != null) {
                    place(grown, e);
                }
            }
            place(grown, new Entry(values, hash, series));
            table = grown;
        } else {
            // readers may be probing t: the entry's fields are final, so one store publishes it whole
            place(t, new Entry(values, hash, series));
        }
        size++;
    }

    private static void place(Entry[] t, Entry e) {
        int mask = t.length - 1;
        int i = mix(e.hash) & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = e;
    }

    /** Spreads the hash's high bits into the low ones the mask keeps. */
    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Sets held. Caller holds the owner's monitor. */
    int size() {
        return size;
    }
}
