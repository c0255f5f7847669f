package dev.grace.admin.internal;

import dev.grace.api.Kpi;

/**
 * The {@code /metrics} summary family a KPI's hour goes into, by its unit, named the Prometheus way:
 * base units in the name ({@code _seconds}, {@code _bytes}, {@code _ratio}, {@code _per_second}),
 * so milliseconds are divided by 1,000 and per-hour rates by 3,600. Dimensionless units keep a word
 * of their own so that no two units share a family.
 *
 * @param name  the family's name
 * @param unit  the OpenMetrics unit (the name's last part), or null for the dimensionless ones
 * @param divisor what a value in the KPI's unit is divided by to be in the family's
 */
record KpiFamily(String name, String unit, double divisor) {

    /** KPIs whose declaration is gone (a stopped plugin's values still in the hour). */
    static final KpiFamily UNDECLARED = new KpiFamily("grace_kpi_undeclared", null, 1);

    static KpiFamily of(Kpi.Unit unit) {
        return switch (unit) {
            case RATIO -> new KpiFamily("grace_kpi_ratio", "ratio", 1);
            case SECONDS -> new KpiFamily("grace_kpi_seconds", "seconds", 1);
            case MILLISECONDS -> new KpiFamily("grace_kpi_seconds", "seconds", 1000);
            case BYTES -> new KpiFamily("grace_kpi_bytes", "bytes", 1);
            case PER_SECOND -> new KpiFamily("grace_kpi_per_second", "per_second", 1);
            case PER_HOUR -> new KpiFamily("grace_kpi_per_second", "per_second", 3600);
            case COUNT -> new KpiFamily("grace_kpi_items", null, 1);
            case CURRENCY -> new KpiFamily("grace_kpi_currency", null, 1);
            case SCORE -> new KpiFamily("grace_kpi_score", null, 1);
        };
    }
}
