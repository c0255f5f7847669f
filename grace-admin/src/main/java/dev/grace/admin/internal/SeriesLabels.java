package dev.grace.admin.internal;

import dev.grace.api.Kpi;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.HourlyRollup;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus labels of one series of a KPI in {@code /metrics}: {@code domain} and {@code kpi} as
 * on the KPI's total, then one label per attribute, named after its key; the overflow series carries
 * {@value #OVERFLOW}{@code ="true"} instead, as OpenTelemetry's SDK marks its overflow point with
 * {@code otel.metric.overflow=true} ({@code otel_metric_overflow} in Prometheus). Attribute keys
 * ({@code [a-z][a-z0-9_]*}) are valid label names as they are; a key that is one of the labels
 * {@code /metrics} sets itself ({@code domain}, {@code kpi}, {@code quantile}, {@value #OVERFLOW}) is
 * prefixed with {@code exported_}, as Prometheus renames a target's label that collides with its own,
 * until no declared key of the KPI has that name.
 */
final class SeriesLabels {

    /** The label of the overflow series: no attribute set names it, so it cannot collide with a series. */
    static final String OVERFLOW = "grace_series_overflow";

    private static final Set<String> RESERVED = Set.of("domain", "kpi", "quantile", OVERFLOW);

    private SeriesLabels() {
    }

    /**
     * The labels of {@code series} (not a total) as name, value pairs; {@code kpi} is its declaration,
     * or null when no running plugin declares it (then its own keys are the only ones known).
     */
    static String[] of(Kpi kpi, HourlyRollup series) {
        if (SeriesKey.isOverflow(series.series())) {
            return new String[] {"domain", series.domain(), "kpi", series.kpi(), OVERFLOW, "true"};
        }
        Map<String, String> attributes = series.attributes();
        Set<String> keys = new HashSet<>(attributes.keySet());
        if (kpi != null) {
            kpi.attributes().forEach(a -> keys.add(a.key()));
        }
        String[] labels = new String[4 + 2 * attributes.size()];
        labels[0] = "domain";
        labels[1] = series.domain();
        labels[2] = "kpi";
        labels[3] = series.kpi();
        int i = 4;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            labels[i++] = name(e.getKey(), keys);
            labels[i++] = e.getValue();
        }
        return labels;
    }

    /** {@code key}, or {@code exported_key} (repeated) while that is reserved or another declared key. */
    static String name(String key, Set<String> declared) {
        if (!RESERVED.contains(key)) {
            return key;
        }
        String name = "exported_" + key;
        while (RESERVED.contains(name) || declared.contains(name)) {
            name = "exported_" + name;
        }
        return name;
    }
}
