package dev.grace.cli;

import dev.grace.api.Kpi;
import dev.grace.api.RejectReason;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code grace run} prints when it stops: per domain, each KPI's count, mean and p95 for each
 * hour the run covered; rejections by reason per plugin; raw events dropped and rollup values lost.
 *
 * <p>Hours are reported one row each because an hour's quantile sketch only merges with the same
 * hour's; a run inside one hour (the usual case) has one row per KPI.
 */
record RunSummary(Duration ran, List<PluginStatus> plugins, List<HourlyRollup> hours, PublishStats stats,
                  long rollupValuesLost) {

    /**
     * The rollups of the hours from {@code started}'s hour on; earlier hours held in memory are not this run's.
     *
     * @param rollupValuesLost accepted values the store could not write and its journal could not hold
     */
    static RunSummary of(Instant started, Instant stopped, List<PluginStatus> plugins, List<HourlyRollup> rollups,
                         PublishStats stats, long rollupValuesLost) {
        Instant firstHour = started.truncatedTo(ChronoUnit.HOURS);
        List<HourlyRollup> hours = rollups.stream().filter(r -> !r.hourStart().isBefore(firstHour)).toList();
        return new RunSummary(Duration.between(started, stopped), plugins, hours, stats, rollupValuesLost);
    }

    void print(PrintWriter out) {
        Map<PluginState, Long> byState = plugins.stream()
                .collect(Collectors.groupingBy(PluginStatus::state, TreeMap::new, Collectors.counting()));
        out.printf(Locale.ROOT, "Grace ran for %.1fs with %d %s%s.%n", ran.toMillis() / 1000.0, plugins.size(),
                plugins.size() == 1 ? "plugin" : "plugins", byState.isEmpty() ? "" : " (" + byState.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")) + ")");
        plugins.stream().filter(p -> p.cause() != null)
                .forEach(p -> out.println("  " + p.id() + " " + p.state() + ": " + p.cause()));
        plugins.stream().filter(p -> p.restarts() > 0)
                .forEach(p -> out.println("  " + p.id() + " was restarted " + p.restarts()
                        + (p.restarts() == 1 ? " time" : " times")));

        printDomains(out);

        out.println();
        out.println("Rejections by plugin:");
        if (stats.pluginIds().isEmpty()) {
            out.println("  none (no plugin published)");
        }
        for (String id : new TreeMap<>(stats.perPlugin()).keySet()) {
            Map<RejectReason, Long> rejected = new TreeMap<>(stats.rejected(id));
            out.println("  " + id + ": " + (rejected.isEmpty() ? "none" : rejected.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        }

        out.println();
        out.println("Values accepted: " + stats.totalAccepted() + ", rejected: " + stats.totalRejected()
                + ", raw events dropped: " + stats.totalRawDropped() + ", rollup values lost: " + rollupValuesLost);
        out.flush();
    }

    /**
     * The summary as one JSON object for {@code grace run --json}: every plugin's final state and cause,
     * every KPI's count, mean and p95 per hour (a declared KPI that received nothing has no hours),
     * rejections by plugin and reason, and the totals.
     */
    Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ranSeconds", ran.toMillis() / 1000.0);
        doc.put("plugins", plugins.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("domain", p.domain());
            m.put("version", p.version());
            m.put("state", p.state().name());
            m.put("cause", p.cause());
            m.put("source", p.source());
            m.put("restarts", p.restarts());
            return m;
        }).toList());
        List<Map<String, Object>> kpis = new ArrayList<>();
        domains().forEach((domain, byKpi) -> byKpi.forEach((kpi, rollups) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", domain);
            m.put("kpi", kpi);
            m.put("hours", rollups.stream().map(r -> {
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("hour", r.hourStart().toString());
                h.put("count", r.count());
                h.put("mean", finite(r.mean()));
                h.put("p95", finite(r.quantile(0.95)));
                return h;
            }).toList());
            kpis.add(m);
        }));
        doc.put("kpis", kpis);
        Map<String, Map<String, Long>> rejections = new TreeMap<>();
        for (String id : new TreeMap<>(stats.perPlugin()).keySet()) {
            Map<String, Long> byReason = new TreeMap<>();
            stats.rejected(id).forEach((reason, n) -> byReason.put(reason.name(), n));
            rejections.put(id, byReason);
        }
        doc.put("rejections", rejections);
        doc.put("accepted", stats.totalAccepted());
        doc.put("rejected", stats.totalRejected());
        doc.put("rawEventsDropped", stats.totalRawDropped());
        doc.put("rollupValuesLost", rollupValuesLost);
        return doc;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private void printDomains(PrintWriter out) {
        for (Map.Entry<String, Map<String, List<HourlyRollup>>> domain : domains().entrySet()) {
            out.println();
            out.println("Domain " + domain.getKey() + ":");
            Table table = new Table("KPI", "HOUR (UTC)", "COUNT", "MEAN", "P95").rightAligned(2, 3, 4);
            domain.getValue().forEach((kpi, rollups) -> {
                if (rollups.isEmpty()) {
                    table.row(kpi, "-", "0", "-", "-");
                }
                for (HourlyRollup r : rollups) {
                    table.row(kpi, r.hourStart().toString(), Long.toString(r.count()), number(r.mean()),
                            number(r.quantile(0.95)));
                }
            });
            table.lines().forEach(line -> out.println("  " + line));
        }
    }

    /** Domain to KPI to its hours of the run. */
    private Map<String, Map<String, List<HourlyRollup>>> domains() {
        // Declared KPIs first, in declaration order, so that a KPI that received nothing shows as 0.
        Map<String, Map<String, List<HourlyRollup>>> domains = new TreeMap<>();
        for (PluginStatus p : plugins) {
            if (p.state() == PluginState.DISABLED) {
                continue;   // left out on purpose: its KPIs are not this run's
            }
            for (Kpi k : p.kpis()) {
                domains.computeIfAbsent(p.domain(), d -> new LinkedHashMap<>()).putIfAbsent(k.name(), new ArrayList<>());
            }
        }
        for (HourlyRollup r : hours) {
            domains.computeIfAbsent(r.domain(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(r.kpi(), k -> new ArrayList<>()).add(r);
        }
        return domains;
    }

    /**
     * Whole numbers from 1000 on, up to three decimals below (trailing zeros dropped), scientific
     * notation when very large or small. Quantiles are within 1% anyway; more digits would mislead.
     */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double abs = Math.abs(v);
        if (abs != 0 && (abs >= 1e12 || abs < 1e-3)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
