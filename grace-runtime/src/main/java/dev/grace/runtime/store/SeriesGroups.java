package dev.grace.runtime.store;

import dev.grace.api.SeriesKey;
import dev.grace.runtime.HourlyRollup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups series rollups by the value of one attribute key: what {@link RollupQuery#rollupsBy} and
 * the in-memory readers answer for "by KEY".
 */
public final class SeriesGroups {

    private SeriesGroups() {
    }

    /**
     * For each value of {@code key}, the rollups of every series carrying {@code key} with that value
     * merged per (domain, KPI, period start) under the series {@code key=value}; the overflow series
     * kept as it is; series without {@code key} and totals left out. Ordered by period start, then
     * series key. The rollups given are not changed.
     */
    public static List<HourlyRollup> by(String key, Iterable<HourlyRollup> rollups) {
        Map<String, HourlyRollup> groups = new LinkedHashMap<>();
        for (HourlyRollup r : rollups) {
            String group = groupOf(key, r.series());
            if (group == null) {
                continue;
            }
            String id = r.domain() + '\u0000' + r.kpi() + '\u0000' + r.hourStart().toEpochMilli() + '\u0000' + group;
            groups.merge(id, r.as(group), (a, b) -> a.mergeAs(group, b));
        }
        List<HourlyRollup> out = new ArrayList<>(groups.values());
        out.sort(Comparator.comparing(HourlyRollup::hourStart).thenComparing(HourlyRollup::series));
        return out;
    }

    /** The group {@code series} falls in for {@code key}: {@code key=value}, the overflow series, or null. */
    public static String groupOf(String key, String series) {
        if (SeriesKey.isOverflow(series)) {
            return SeriesKey.OVERFLOW;
        }
        if (SeriesKey.isTotal(series)) {
            return null;
        }
        String value = SeriesKey.parse(series).get(key);
        return value == null ? null : SeriesKey.of(Map.of(key, value));
    }
}
