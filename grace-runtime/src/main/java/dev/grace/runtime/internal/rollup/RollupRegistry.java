package dev.grace.runtime.internal.rollup;

import dev.grace.api.Kpi;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.extension.HourStates;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    /** Each (domain, KPI)'s series bound, shared by the plugins of the domain. */
    private final Map<String, SeriesBudget> budgets = new ConcurrentHashMap<>();

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
        SeriesBudget budget = budgets.computeIfAbsent(domain + '/' + kpi.name(), k -> new SeriesBudget(kpi.maxSeries()));
        KpiAccumulator acc = new KpiAccumulator(pluginId, domain, kpi, clock.millis(), budget);
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

    /** Values accepted so far by one plugin, across all its KPIs, their series and hours. */
    public long acceptedCount(String pluginId) {
        long total = 0;
        for (KpiAccumulator acc : accumulators) {
            if (acc.pluginId().equals(pluginId)) {
                total += withSeriesCount(acc);
            }
        }
        return total;
    }

    /**
     * Values one plugin recorded into overflow series, across its KPIs and hours: every value taken
     * by a series bound past its KPI's {@link Kpi#maxSeries()}. Part of {@link #acceptedCount(String)}.
     */
    public long seriesOverflowCount(String pluginId) {
        long total = 0;
        for (KpiAccumulator acc : accumulators) {
            if (acc.pluginId().equals(pluginId)) {
                KpiAccumulator overflow = acc.overflow();
                if (overflow != null) {
                    total += overflow.acceptedCount();
                }
            }
        }
        return total;
    }

    /** Values accepted so far into one (domain, KPI), across its plugins, series and hours; never decreases. */
    public long acceptedCount(String domain, String kpi) {
        long total = 0;
        for (KpiAccumulator acc : accumulators) {
            if (acc.domain().equals(domain) && acc.kpi().name().equals(kpi)) {
                total += withSeriesCount(acc);
            }
        }
        return total;
    }

    /** {@link #acceptedCount(String, String)} of every (domain, KPI), keyed {@code domain/kpi}, in one pass. */
    public Map<String, Long> acceptedCounts() {
        Map<String, Long> out = new HashMap<>();
        for (KpiAccumulator acc : accumulators) {
            out.merge(acc.domain() + '/' + acc.kpi().name(), withSeriesCount(acc), Long::sum);
        }
        return out;
    }

    private static long withSeriesCount(KpiAccumulator acc) {
        return acc.totalAcceptedCount();
    }

    /**
     * One (domain, KPI)'s total of one hour, merged across its plugins and series; null when it
     * holds no values.
     */
    public HourlyRollup hour(String domain, String kpi, long hourStartMillis) {
        List<KpiAccumulator> accs = new ArrayList<>();
        for (KpiAccumulator acc : accumulators) {
            if (acc.domain().equals(domain) && acc.kpi().name().equals(kpi)) {
                accs.add(acc);
            }
        }
        return merged(SeriesKey.TOTAL, accs, hourStartMillis);
    }

    /**
     * The accumulators behind each (domain, KPI, series): a total is the KPI's accumulator in each
     * plugin (read through its total methods, which merge its series), a series is that series'
     * accumulator in each plugin. Ordered by domain, KPI, then series (the total first).
     */
    private Map<Group, List<KpiAccumulator>> groups(boolean withSeries) {
        Map<Group, List<KpiAccumulator>> groups = new TreeMap<>();
        for (KpiAccumulator acc : accumulators) {
            Group total = new Group(acc.domain(), acc.kpi().name(), SeriesKey.TOTAL);
            groups.computeIfAbsent(total, g -> new ArrayList<>()).add(acc);
            if (withSeries) {
                for (KpiAccumulator child : acc.children()) {
                    groups.computeIfAbsent(new Group(acc.domain(), acc.kpi().name(), child.series()),
                            g -> new ArrayList<>()).add(child);
                }
            }
        }
        return groups;
    }

    /** One (domain, KPI, series): the total's series key is {@code ""}. */
    private record Group(String domain, String kpi, String series) implements Comparable<Group> {
        private static final Comparator<Group> ORDER = Comparator.comparing(Group::domain)
                .thenComparing(Group::kpi).thenComparing(Group::series);

        @Override
        public int compareTo(Group o) {
            return ORDER.compare(this, o);
        }
    }

    /** The rollup of {@code accs} for one hour under {@code series}; null when none holds values for it. */
    private static HourlyRollup merged(String series, List<KpiAccumulator> accs, long hourStartMillis) {
        HourlyRollup merged = null;
        boolean total = SeriesKey.isTotal(series);
        for (KpiAccumulator acc : accs) {
            HourSlot.Snapshot s = total ? acc.totalHour(hourStartMillis) : acc.hour(hourStartMillis);
            if (s != null) {
                HourlyRollup r = rollupOf(acc, s, series);
                merged = merged == null ? r : merged.mergeAs(series, r);
            }
        }
        return merged;
    }

    /**
     * The hours whose merged count differs from what {@code known} says, merged across plugins: what
     * the store must write since it last looked. Totals (merged from the KPI's series) and series
     * both; values are only ever added, so an unchanged count is an unchanged hour. Keys are
     * {@link HourStates#key(HourlyRollup)}; the caller records each returned rollup's count under
     * its key. Keys of hours no longer held are removed from {@code known}, which so stays as small
     * as the hours in memory.
     */
    @Override
    public List<HourlyRollup> changedSince(Map<String, Long> known) {
        List<HourlyRollup> changed = new ArrayList<>();
        Set<String> held = new HashSet<>();
        for (Map.Entry<Group, List<KpiAccumulator>> e : groups(true).entrySet()) {
            Group g = e.getKey();
            Map<Long, Long> counts = new TreeMap<>();
            for (KpiAccumulator acc : e.getValue()) {
                if (g.series().isEmpty()) {
                    acc.addTotalCounts(counts);
                } else {
                    acc.addCounts(counts);
                }
            }
            for (Map.Entry<Long, Long> hour : counts.entrySet()) {
                String key = HourStates.key(g.domain(), g.kpi(), g.series(), hour.getKey());
                held.add(key);
                if (hour.getValue().equals(known.get(key))) {
                    continue;
                }
                HourlyRollup merged = merged(g.series(), e.getValue(), hour.getKey());
                if (merged != null) {
                    changed.add(merged);
                }
            }
        }
        known.keySet().retainAll(held);
        return changed;
    }

    /**
     * Every KPI's total of every hour held in memory, merged across plugins and series, ordered by
     * hour, then domain, then KPI.
     */
    public List<HourlyRollup> rollups() {
        return rollups(false);
    }

    /**
     * Every hour held in memory of every KPI's total and of every series, ordered by hour, domain,
     * KPI, then series (the total first).
     */
    public List<HourlyRollup> rollupsWithSeries() {
        return rollups(true);
    }

    private List<HourlyRollup> rollups(boolean withSeries) {
        List<HourlyRollup> out = new ArrayList<>();
        for (Map.Entry<Group, List<KpiAccumulator>> e : groups(withSeries).entrySet()) {
            Map<Long, HourlyRollup> byHour = new TreeMap<>();
            String series = e.getKey().series();
            for (KpiAccumulator acc : e.getValue()) {
                for (HourSlot.Snapshot s : series.isEmpty() ? acc.totalSnapshots() : acc.snapshots()) {
                    byHour.merge(s.hourStartMillis(), rollupOf(acc, s, series), (a, b) -> a.mergeAs(series, b));
                }
            }
            out.addAll(byHour.values());
        }
        // stable: within an hour, the groups' order (domain, KPI, series) is kept
        out.sort(Comparator.comparing(HourlyRollup::hourStart));
        return out;
    }

    /** Every KPI's total for one hour, merged across plugins and series, ordered by domain and KPI; only that hour is copied. */
    public List<HourlyRollup> hour(long hourStartMillis) {
        return hour(hourStartMillis, false);
    }

    /** {@link #hour(long)} with every series' rollup after its KPI's total. */
    public List<HourlyRollup> hourWithSeries(long hourStartMillis) {
        return hour(hourStartMillis, true);
    }

    private List<HourlyRollup> hour(long hourStartMillis, boolean withSeries) {
        List<HourlyRollup> out = new ArrayList<>();
        for (Map.Entry<Group, List<KpiAccumulator>> e : groups(withSeries).entrySet()) {
            HourlyRollup r = merged(e.getKey().series(), e.getValue(), hourStartMillis);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static HourlyRollup rollupOf(KpiAccumulator acc, HourSlot.Snapshot s, String series) {
        return HourlyRollup.of(acc.domain(), acc.kpi().name(), series, s.hourStartMillis(), s.count(), s.sum(),
                s.min(), s.max(), s.sumOfSquares(), s.sketch());
    }
}
