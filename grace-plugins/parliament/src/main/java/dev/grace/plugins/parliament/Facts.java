package dev.grace.plugins.parliament;

import dev.grace.api.Kpi;
import dev.grace.api.RuntimeView;
import dev.grace.api.RuntimeView.BenchmarkView;
import dev.grace.api.RuntimeView.DomainKpi;
import dev.grace.api.RuntimeView.HourPoint;
import dev.grace.api.RuntimeView.PluginView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One snapshot of the runtime that every voter judges by, so all votes of a review see the same
 * state: the plugins, the benchmarks and, per plugin, the latest hourly mean of each of its
 * health-bearing KPIs that can be judged (a target or a bounded range) and has values in the last
 * {@link #RECENT} (absent when it has none).
 */
record Facts(Map<String, PluginView> plugins, Map<String, BenchmarkView> benchmarks,
             Map<String, List<Reading>> readings) {

    /** How far back a KPI's hourly values count as the plugin's current condition. */
    static final Duration RECENT = Duration.ofHours(1);

    /**
     * The latest hour of one health-bearing KPI.
     *
     * @param kpi  the KPI as declared
     * @param hour the hour's start
     * @param mean the hour's mean
     */
    record Reading(Kpi kpi, Instant hour, double mean) {

        /**
         * Whether the value is bad: on the wrong side of the KPI's target when it declares one,
         * otherwise in the worse half of its valid range.
         */
        boolean bad() {
            boolean higher = kpi.direction() == Kpi.Direction.HIGHER_IS_BETTER;
            if (kpi.target().isPresent()) {
                double t = kpi.target().getAsDouble();
                return higher ? mean < t : mean > t;
            }
            double position = (mean - kpi.min()) / (kpi.max() - kpi.min());
            return higher ? position < 0.5 : position > 0.5;
        }

        /** Whether {@code kpi} can be judged: it declares a target or a bounded range. */
        static boolean judgeable(Kpi kpi) {
            return kpi.target().isPresent() || (kpi.max() < Double.MAX_VALUE && kpi.min() > -Double.MAX_VALUE
                    && kpi.max() > kpi.min());
        }

        @Override
        public String toString() {
            return kpi.name() + "=" + mean + (bad() ? " (bad)" : "");
        }
    }

    Facts {
        plugins = Map.copyOf(plugins);
        benchmarks = Map.copyOf(benchmarks);
        Map<String, List<Reading>> r = new LinkedHashMap<>();
        readings.forEach((k, v) -> r.put(k, List.copyOf(v)));
        readings = Map.copyOf(r);
    }

    /** Facts without KPI readings. */
    Facts(Map<String, PluginView> plugins, Map<String, BenchmarkView> benchmarks) {
        this(plugins, benchmarks, Map.of());
    }

    /** The readings of {@code pluginId}'s health-bearing KPIs; empty when none had values recently. */
    List<Reading> readings(String pluginId) {
        return readings.getOrDefault(pluginId, List.of());
    }

    static Facts of(RuntimeView view, Instant now) {
        Map<String, PluginView> plugins = new LinkedHashMap<>();
        for (PluginView p : view.plugins()) {
            plugins.put(p.id(), p);
        }
        Map<String, BenchmarkView> benchmarks = new LinkedHashMap<>();
        for (BenchmarkView b : view.benchmarks()) {
            benchmarks.put(b.name(), b);
        }
        Map<String, List<Reading>> readings = new LinkedHashMap<>();
        for (DomainKpi k : view.kpis()) {
            if (!k.kpi().healthBearing() || !Reading.judgeable(k.kpi())) {
                continue;
            }
            List<HourPoint> hours = view.hourly(k.domain(), k.kpi().name(), now.minus(RECENT));
            if (!hours.isEmpty()) {
                HourPoint last = hours.get(hours.size() - 1);
                readings.computeIfAbsent(k.pluginId(), id -> new ArrayList<>())
                        .add(new Reading(k.kpi(), last.hour(), last.mean()));
            }
        }
        return new Facts(plugins, benchmarks, readings);
    }
}
