package dev.grace.runtime.extension;

import dev.grace.runtime.HourlyRollup;
import java.util.List;
import java.util.Map;

/** The hour states held in memory, as an extension that persists them reads them. */
public interface HourStates {

    /**
     * The rollups of every (domain, KPI, hour) whose count differs from {@code known}'s entry under
     * {@code domain/kpi/hourStartMillis}: what must be written since the caller last looked. Values
     * are only ever added, so an unchanged count is an unchanged hour. Keys of hours no longer held
     * are removed from {@code known}; the caller records each returned rollup's count under its key.
     */
    List<HourlyRollup> changedSince(Map<String, Long> known);

    /** The start of the hour values without a time go to, in epoch milliseconds. */
    long currentHourStart();
}
