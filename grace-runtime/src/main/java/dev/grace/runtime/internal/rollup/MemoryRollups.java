package dev.grace.runtime.internal.rollup;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.Rollups;

import java.time.Instant;
import java.util.List;

/** The hourly rollups a {@link RollupRegistry} holds in memory, as the runtime hands them to hosts. */
public final class MemoryRollups implements Rollups {

    private final RollupRegistry rollups;

    public MemoryRollups(RollupRegistry rollups) {
        this.rollups = rollups;
    }

    @Override
    public List<HourlyRollup> all() {
        return rollups.rollups();
    }

    @Override
    public List<HourlyRollup> hour(Instant hourStart) {
        return rollups.hour(hourStart.toEpochMilli());
    }

    @Override
    public Instant currentHour() {
        return Instant.ofEpochMilli(rollups.currentHourStart());
    }
}
