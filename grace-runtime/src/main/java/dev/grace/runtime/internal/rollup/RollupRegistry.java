package dev.grace.runtime.internal.rollup;

import dev.grace.runtime.extension.HourStates;
import dev.grace.api.Kpi;
import dev.grace.runtime.HourlyRollup;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every KPI accumulator of the runtime. Turns them all at the hour, closes hours no late event can
 * reach, and merges per-plugin state into per-(domain, KPI, hour) rollups for readers.
 */
public final class RollupRegistry implements HourStates {

    /** Closed hours stay writable-until-closed this long past the lateness limit, for writers already past their checks. */
    private static final long CLOSE_MARGIN_MILLIS = 60_000L;

    private final Clock clock;
    private final long latenessMillis;
    private final int keepClosedHours;
    private final List<KpiAccumulator> accumulators = new CopyOnWriteArrayList<>();
    /** The definition each (domain, KPI) was first declared with, to refuse conflicting redeclarations. */
    private final Map<String, Kpi> definitions = new ConcurrentHashMap<>();

    public RollupRegistry(Clock clock, Duration latenessLimit, int keepClosedHours) {
        this.clock = clock;
        this.latenessMillis = latenessLimit.toMillis();
        this.keepClosedHours = keepClosedHours;
    }

    /**
     * The declaration already registered for this KPI name in this domain, if it differs from
     * {@code kpi}; null when {@code kpi} is new or identical.
     */
    public Kpi conflictingDefinition(String domain, Kpi kpi) {
        Kpi existing = definitions.get(domain + '/' + kpi.name());
        return existing == null || existing.equals(kpi) ? null : existing;
    }

    /** Registers a plugin's KPI; the caller has checked {@link #conflictingDefinition}. */
    public KpiAccumulator register(String pluginId, String domain, Kpi kpi) {
        definitions.putIfAbsent(domain + '/' + kpi.name(), kpi);
        KpiAccumulator acc = new KpiAccumulator(pluginId, domain, kpi, clock.millis());
        accumulators.add(acc);
        return acc;
    }

    /** Turns every accumulator to the clock's current hour and closes hours past the lateness limit. */
    public void turn() {
        long now = clock.millis();
        long closeBefore = now - latenessMillis - CLOSE_MARGIN_MILLIS;
        for (KpiAccumulator acc : accumulators) {
            acc.turn(now, closeBefore, keepClosedHours);
        }
    }

    /** Closes every hour of every accumulator: nothing is accepted after this. */
    public void closeAll() {
        for (KpiAccumulator acc : accumulators) {
            acc.closeAll(keepClosedHours);
        }
    }

    /** The hour the hot path writes to, as the ticker last turned it. */
    @Override
    public long currentHourStart() {
        long now = clock.millis();
        return accumulators.isEmpty() ? KpiAccumulator.hourStart(now) : accumulators.get(0).currentHourStart();
    }

    /** Values accepted so far by one plugin, across all its KPIs and hours. */
    public long acceptedCount(String pluginId) {
        long total = 0;
        for (KpiAccumulator acc : accumulators) {
            if (acc.pluginId().equals(pluginId)) {
                total += acc.acceptedCount();
            }
        }
        return total;
    }

    /** Values accepted so far into one (domain, KPI), across its plugins and hours; never decreases. */
    public long acceptedCount(String domain, String kpi) {
        long total = 0;
        for (KpiAccumulator acc : accumulators) {
            if (acc.domain().equals(domain) && acc.kpi().name().equals(kpi)) {
                total += acc.acceptedCount();
            }
        }
        return total;
    }

    /** One (domain, KPI)'s rollup of one hour, merged across its plugins; null when it holds no values. */
    public HourlyRollup hour(String domain, String kpi, long hourStartMillis) {
        HourlyRollup merged = null;
        for (KpiAccumulator acc : accumulators) {
            if (acc.domain().equals(domain) && acc.kpi().name().equals(kpi)) {
                HourSlot.Snapshot s = acc.hour(hourStartMillis);
                if (s != null) {
                    HourlyRollup r = rollupOf(acc, s);
                    merged = merged == null ? r : merged.merge(r);
                }
            }
        }
        return merged;
    }

    /**
     * The hours whose merged count differs from what {@code known} says, merged across plugins: what
     * the store must write since it last looked. Values are only ever added, so an unchanged count
     * is an unchanged hour. Keys are {@code domain/kpi/hourStartMillis}; the caller records each
     * returned rollup's count under its key. Keys of hours no longer held are removed from
     * {@code known}, which so stays as small as the hours in memory.
     */
    @Override
    public List<HourlyRollup> changedSince(Map<String, Long> known) {
        Map<String, List<KpiAccumulator>> byKpi = new LinkedHashMap<>();
        for (KpiAccumulator acc : accumulators) {
            byKpi.computeIfAbsent(acc.domain() + '/' + acc.kpi().name(), k -> new ArrayList<>()).add(acc);
        }
        List<HourlyRollup> changed = new ArrayList<>();
        java.util.Set<String> held = new java.util.HashSet<>();
        for (Map.Entry<String, List<KpiAccumulator>> e : byKpi.entrySet()) {
            Map<Long, Long> counts = new java.util.TreeMap<>();
            for (KpiAccumulator acc : e.getValue()) {
                acc.addCounts(counts);
            }
            for (Map.Entry<Long, Long> hour : counts.entrySet()) {
                String key = e.getKey() + '/' + hour.getKey();
                held.add(key);
                if (hour.getValue().equals(known.get(key))) {
                    continue;
                }
                HourlyRollup merged = null;
                for (KpiAccumulator acc : e.getValue()) {
                    HourSlot.Snapshot s = acc.hour(hour.getKey());
                    if (s != null) {
                        HourlyRollup r = rollupOf(acc, s);
                        merged = merged == null ? r : merged.merge(r);
                    }
                }
                if (merged != null) {
                    changed.add(merged);
                }
            }
        }
        known.keySet().retainAll(held);
        return changed;
    }

    /**
     * Every hour held in memory, merged across plugins that share a (domain, KPI), ordered by hour,
     * then domain, then KPI.
     */
    public List<HourlyRollup> rollups() {
        Map<String, HourlyRollup> merged = new LinkedHashMap<>();
        for (KpiAccumulator acc : accumulators) {
            for (HourSlot.Snapshot s : acc.snapshots()) {
                HourlyRollup r = rollupOf(acc, s);
                merged.merge(acc.domain() + '/' + acc.kpi().name() + '/' + s.hourStartMillis(), r, HourlyRollup::merge);
            }
        }
        List<HourlyRollup> out = new ArrayList<>(merged.values());
        out.sort(Comparator.comparing(HourlyRollup::hourStart)
                .thenComparing(HourlyRollup::domain)
                .thenComparing(HourlyRollup::kpi));
        return out;
    }

    /** Every KPI's rollup for one hour, merged across plugins, ordered by domain and KPI; only that hour is copied. */
    public List<HourlyRollup> hour(long hourStartMillis) {
        Map<String, HourlyRollup> merged = new java.util.TreeMap<>();
        for (KpiAccumulator acc : accumulators) {
            HourSlot.Snapshot s = acc.hour(hourStartMillis);
            if (s != null) {
                merged.merge(acc.domain() + '/' + acc.kpi().name(), rollupOf(acc, s), HourlyRollup::merge);
            }
        }
        return new ArrayList<>(merged.values());
    }

    private static HourlyRollup rollupOf(KpiAccumulator acc, HourSlot.Snapshot s) {
        return HourlyRollup.of(acc.domain(), acc.kpi().name(), s.hourStartMillis(), s.count(), s.sum(), s.min(),
                s.max(), s.sumOfSquares(), s.sketch());
    }
}
