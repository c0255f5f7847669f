package dev.grace.cognition.internal;

import dev.grace.runtime.config.CognitionConfig;
import dev.grace.store.internal.CatalogDao;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static dev.grace.cognition.internal.CognitionEngine.HOUR;

/**
 * Checks the data behind each health-bearing KPI's score over the last {@code cognition.guard.window}
 * hours and names what looks invented or broken. Pure arithmetic on hourly figures merged across
 * nodes; the rules, in the order they are tried, are in docs/cognition.md ("The guard"):
 * <ul>
 *   <li>{@code impossible}: an hour whose figures cannot come from values of the KPI's unit and range
 *       (a ratio outside [0, 1], a negative duration or count, a mean outside [min, max], a negative
 *       variance);</li>
 *   <li>{@code pinned}: in at least 90% of the hours every value sat on one range limit or the target;</li>
 *   <li>{@code constant}: every value in the window was the same;</li>
 *   <li>{@code few_values}: the hourly means take at most {@code distinctValues} distinct values,
 *       each in at least two hours;</li>
 *   <li>{@code copy}: the hourly means, not all equal, equal another KPI's, hour for hour.</li>
 * </ul>
 * Every rule but {@code impossible} needs values in at least half of the window's hours.
 * {@code pinned} and {@code constant} are not raised on a KPI declared {@code mayBeConstant()}.
 */
final class Guard {

    /** Share of the hours that must sit on a limit for {@code pinned}. */
    static final double PINNED_SHARE = 0.9;
    /** Relative slack for the arithmetic of stored sums. */
    private static final double EPS = 1e-9;

    /** A flag found in one evaluation. */
    record Found(String domain, String kpi, String flag, String detail) {
        String key() {
            return domain + "/" + kpi + "/" + flag;
        }
    }

    private final CognitionConfig.Guard config;

    Guard(CognitionConfig.Guard config) {
        this.config = config;
    }

    boolean enabled() {
        return config.enabled();
    }

    /** The first hour of the window that ends with {@code hour}. */
    long windowStart(long hour) {
        return hour - (config.windowHours() - 1L) * HOUR;
    }

    /** Hours with values a series needs before anything but {@code impossible} is judged. */
    int minHours() {
        return Math.max(2, (config.windowHours() + 1) / 2);
    }

    /**
     * The flags on the catalogue's health-bearing KPIs.
     *
     * @param series domain to KPI to hour to figures, the window's hours only
     */
    List<Found> check(List<CatalogDao.CatalogKpi> catalog,
                      Map<String, Map<String, SortedMap<Long, CognitionDao.Figures>>> series) {
        List<Found> out = new ArrayList<>();
        if (!config.enabled()) {
            return out;
        }
        for (CatalogDao.CatalogKpi k : catalog) {
            if (!k.healthBearing()) {
                continue;
            }
            SortedMap<Long, CognitionDao.Figures> s = series.getOrDefault(k.domain(), Map.of()).get(k.kpi());
            if (s == null || s.isEmpty()) {
                continue;
            }
            String impossible = impossible(k, s);
            if (impossible != null) {
                out.add(new Found(k.domain(), k.kpi(), "impossible", impossible));
                continue;
            }
            if (s.size() < minHours()) {
                continue;
            }
            String shape = shape(k, s);
            if (shape != null) {
                int colon = shape.indexOf(':');
                out.add(new Found(k.domain(), k.kpi(), shape.substring(0, colon), shape.substring(colon + 2)));
                continue;
            }
            String copy = copyOf(k, s, catalog, series);
            if (copy != null) {
                out.add(new Found(k.domain(), k.kpi(), "copy", copy));
            }
        }
        return out;
    }

    /** Why an hour's figures are impossible for the KPI, or null. */
    static String impossible(CatalogDao.CatalogKpi k, SortedMap<Long, CognitionDao.Figures> s) {
        boolean ratio = k.unit().equals("RATIO");
        boolean nonNegative = !(k.unit().equals("SCORE") || k.unit().equals("CURRENCY"));
        for (Map.Entry<Long, CognitionDao.Figures> e : s.entrySet()) {
            CognitionDao.Figures f = e.getValue();
            String at = " in the hour " + Instant.ofEpochMilli(e.getKey());
            if (f.count() <= 0) {
                continue;
            }
            double mean = f.mean();
            double slack = EPS * Math.max(1, Math.max(Math.abs(f.min()), Math.abs(f.max())));
            if (f.min() > f.max() || mean < f.min() - slack || mean > f.max() + slack) {
                return "mean " + fmt(mean) + " outside its own min " + fmt(f.min()) + " and max " + fmt(f.max()) + at;
            }
            double m2 = f.sumOfSquares() - f.count() * mean * mean;
            if (m2 < -EPS * Math.max(1, f.sumOfSquares())) {
                return "sum of squares " + fmt(f.sumOfSquares()) + " below count × mean² (a negative variance)" + at;
            }
            if (ratio && (f.min() < 0 || f.max() > 1)) {
                return "a ratio from " + fmt(f.min()) + " to " + fmt(f.max()) + ", outside [0, 1]" + at;
            }
            if (nonNegative && f.min() < 0) {
                return "a negative " + k.unit().toLowerCase(Locale.ROOT) + " (" + fmt(f.min()) + ")" + at;
            }
            if (k.rangeMin() != null && f.min() < k.rangeMin() || k.rangeMax() != null && f.max() > k.rangeMax()) {
                return "values from " + fmt(f.min()) + " to " + fmt(f.max()) + " outside the declared range ["
                        + fmt(k.rangeMin()) + ", " + fmt(k.rangeMax()) + "]" + at;
            }
        }
        return null;
    }

    /** {@code pinned: ...}, {@code constant: ...}, {@code few_values: ...} or null. */
    private String shape(CatalogDao.CatalogKpi k, SortedMap<Long, CognitionDao.Figures> s) {
        String hours = s.size() + " hours with values from " + Instant.ofEpochMilli(s.firstKey());
        if (!k.mayBeConstant()) {
            for (double limit : limits(k)) {
                long at = s.values().stream().filter(f -> f.min() == limit && f.max() == limit).count();
                if (at >= Math.ceil(PINNED_SHARE * s.size())) {
                    return "pinned: every value at " + fmt(limit) + " (" + (limit == nz(k.target()) ? "its target"
                            : "its range limit") + ") in " + at + " of " + hours;
                }
            }
            double lo = s.values().stream().mapToDouble(CognitionDao.Figures::min).min().orElseThrow();
            double hi = s.values().stream().mapToDouble(CognitionDao.Figures::max).max().orElseThrow();
            if (lo == hi) {
                long values = s.values().stream().mapToLong(CognitionDao.Figures::count).sum();
                return "constant: all " + values + " values " + fmt(lo) + " over " + hours;
            }
        }
        Map<Double, Integer> means = new TreeMap<>();
        for (CognitionDao.Figures f : s.values()) {
            means.merge(f.mean(), 1, Integer::sum);
        }
        // each value recurring: one measured hour beside a run of constant ones is not "few values"
        if (means.size() > 1 && means.size() <= config.distinctValues()
                && means.values().stream().allMatch(n -> n >= 2)) {
            return "few_values: hourly means take only " + means.size() + " values " + means.keySet().stream()
                    .map(Guard::fmt).toList() + " over " + hours;
        }
        return null;
    }

    /** The range limits and target a value can be pinned to: the finite ones. */
    private static List<Double> limits(CatalogDao.CatalogKpi k) {
        List<Double> out = new ArrayList<>();
        for (Double v : new Double[] {k.target(), k.rangeMax(), k.rangeMin()}) {
            if (v != null && Math.abs(v) < Double.MAX_VALUE && !out.contains(v)) {
                out.add(v);
            }
        }
        if (k.unit().equals("RATIO") && k.rangeMin() == null) { // a catalogue row from before schema 5
            out.add(1.0);
            out.add(0.0);
        }
        return out;
    }

    /** The other KPI whose hourly means equal this one's in every hour of the window, or null. */
    private String copyOf(CatalogDao.CatalogKpi k, SortedMap<Long, CognitionDao.Figures> s,
                          List<CatalogDao.CatalogKpi> catalog,
                          Map<String, Map<String, SortedMap<Long, CognitionDao.Figures>>> series) {
        if (s.values().stream().mapToDouble(CognitionDao.Figures::mean).distinct().count() < 2) {
            return null; // two constant series are equal without one copying the other
        }
        Set<Long> hours = new HashSet<>(s.keySet());
        for (CatalogDao.CatalogKpi other : catalog) {
            if (other.domain().equals(k.domain()) && other.kpi().equals(k.kpi())) {
                continue;
            }
            SortedMap<Long, CognitionDao.Figures> o = series.getOrDefault(other.domain(), Map.of()).get(other.kpi());
            if (o == null || !o.keySet().equals(hours)) {
                continue;
            }
            boolean same = true;
            for (Map.Entry<Long, CognitionDao.Figures> e : s.entrySet()) {
                if (Double.compare(e.getValue().mean(), o.get(e.getKey()).mean()) != 0) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return "hourly means equal " + other.domain() + "." + other.kpi() + "'s in every one of "
                        + s.size() + " hours from " + Instant.ofEpochMilli(s.firstKey());
            }
        }
        return null;
    }

    private static double nz(Double v) {
        return v == null ? Double.NaN : v;
    }

    static String fmt(Double v) {
        if (v == null) {
            return "—";
        }
        if (Math.abs(v) >= Double.MAX_VALUE) {
            return v > 0 ? "∞" : "-∞";
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }
}
