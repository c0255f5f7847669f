package dev.grace.runtime.internal.rollup;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.Rollups;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    public List<HourlyRollup> allWithSeries() {
        return rollups.rollupsWithSeries();
    }

    @Override
    public List<HourlyRollup> hourWithSeries(Instant hourStart) {
        return rollups.hourWithSeries(hourStart.toEpochMilli());
    }

    @Override
    public List<HourlyRollup> hour(Instant hourStart) {
        return rollups.hour(hourStart.toEpochMilli());
    }

    @Override
    public Optional<HourlyRollup> hour(String domain, String kpi, Instant hourStart) {
        return Optional.ofNullable(rollups.hour(domain, kpi, hourStart.toEpochMilli()));
    }

    @Override
    public long acceptedCount(String domain, String kpi) {
        return rollups.acceptedCount(domain, kpi);
    }

    @Override
    public Map<String, Long> acceptedCounts() {
        return rollups.acceptedCounts();
    }

    @Override
    public Instant currentHour() {
        return Instant.ofEpochMilli(rollups.currentHourStart());
    }
}
