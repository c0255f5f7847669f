package dev.grace.runtime.cognition;

import java.time.Instant;
import java.util.List;

/**
 * A flag cognition's guard raised on a health-bearing KPI whose series looks invented or broken
 * (docs/cognition.md, "The guard"). While a KPI is flagged its evidence counts as the least certain
 * a 0..1 figure can be, which lowers its domain's confidence.
 *
 * @param domain the KPI's domain
 * @param kpi    the KPI
 * @param flag   {@code constant}, {@code pinned}, {@code copy}, {@code few_values} or {@code impossible}
 * @param detail for people: what was seen, over which hours
 * @param since  the evaluated hour that raised it
 */
public record KpiFlag(String domain, String kpi, String flag, String detail, Instant since) {

    /** The flags, in the order they are shown. */
    public static final List<String> KINDS = List.of("constant", "pinned", "copy", "few_values",
            "impossible");
}
