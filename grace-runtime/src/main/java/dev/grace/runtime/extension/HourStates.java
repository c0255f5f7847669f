package dev.grace.runtime.extension;

import dev.grace.runtime.HourlyRollup;
import java.util.List;
import java.util.Map;

/** The hour states held in memory, as an extension that persists them reads them. */
public interface HourStates {

    /**
     * The rollups of every (domain, KPI, series, hour) whose count differs from {@code known}'s
     * entry under {@link #key(HourlyRollup)}: what must be written since the caller last looked.
     * Values are only ever added, so an unchanged count is an unchanged hour. A KPI's total
     * ({@link HourlyRollup#isTotal()}) comes with its series. Keys of hours no longer held are
     * removed from {@code known}; the caller records each returned rollup's count under its key.
     */
    List<HourlyRollup> changedSince(Map<String, Long> known);

    /**
     * The key {@link #changedSince} knows a rollup by: {@code domain/kpi/hourStartMillis} for a
     * KPI's total (as before series), {@code domain/kpi/hourStartMillis/series} for one series.
     */
    static String key(HourlyRollup r) {
        return key(r.domain(), r.kpi(), r.series(), r.hourStart().toEpochMilli());
    }

    /** {@link #key(HourlyRollup)} from its parts. */
    static String key(String domain, String kpi, String series, long hourStartMillis) {
        String base = domain + '/' + kpi + '/' + hourStartMillis;
        return series.isEmpty() ? base : base + '/' + series;
    }

    /** The start of the hour values without a time go to, in epoch milliseconds. */
    long currentHourStart();
}
