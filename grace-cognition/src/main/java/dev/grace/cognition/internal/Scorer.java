package dev.grace.cognition.internal;

import dev.grace.store.internal.CatalogDao;
import dev.grace.runtime.cognition.KpiReading;
import dev.grace.runtime.cognition.Scores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Health, trust and confidence of every domain for one hour, and overall. Pure arithmetic on the
 * hour's rollups; every formula is explained, with a worked example, in {@code docs/cognition.md}.
 */
public final class Scorer {

    /** The two-sided 95% normal quantile. */
    static final double Z95 = 1.959963984540054;
    /** The largest standard deviation a value confined to [0, 1] can have. */
    static final double MAX_SD = 0.5;

    /** One domain's result: its scores, the standard error of its health, and its KPIs' readings. */
    public record DomainScore(String domain, Scores scores, double healthError, List<KpiReading> kpis,
                              List<String> unscorable) {
    }

    /** Every domain's result and the overall scores. */
    public record HourScores(Map<String, DomainScore> domains, Scores overall) {
    }

    private Scorer() {
    }

    /**
     * Scores one hour.
     *
     * @param catalog    every declared KPI
     * @param figures    the hour's rollups, domain to KPI to figures
     * @param rejections values rejected in the hour, per domain
     * @param weights    domain weights for the overall scores; absent domains weigh 1
     */
    public static HourScores score(List<CatalogDao.CatalogKpi> catalog, Map<String, Map<String, CognitionDao.Figures>> figures,
                                   Map<String, Long> rejections, Map<String, Double> weights) {
        return score(catalog, figures, rejections, weights, Set.of());
    }

    /**
     * Scores one hour with the guard's flags: a flagged KPI still counts toward health, but its
     * standard error is the widest a 0..1 figure can have ({@link #MAX_SD}), whatever its spread.
     *
     * @param flagged {@code domain/kpi} of every KPI the guard flags
     */
    public static HourScores score(List<CatalogDao.CatalogKpi> catalog, Map<String, Map<String, CognitionDao.Figures>> figures,
                                   Map<String, Long> rejections, Map<String, Double> weights, Set<String> flagged) {
        Map<String, List<CatalogDao.CatalogKpi>> byDomain = new TreeMap<>();
        for (CatalogDao.CatalogKpi k : catalog) {
            byDomain.computeIfAbsent(k.domain(), d -> new ArrayList<>()).add(k);
        }
        Map<String, DomainScore> domains = new LinkedHashMap<>();
        for (Map.Entry<String, List<CatalogDao.CatalogKpi>> e : byDomain.entrySet()) {
            domains.put(e.getKey(), domain(e.getKey(), e.getValue(), figures.getOrDefault(e.getKey(), Map.of()),
                    rejections.getOrDefault(e.getKey(), 0L), flagged));
        }
        return new HourScores(domains, overall(domains.values(), weights));
    }

    static DomainScore domain(String domain, List<CatalogDao.CatalogKpi> kpis, Map<String, CognitionDao.Figures> hour,
                              long rejected, Set<String> flagged) {
        List<KpiReading> readings = new ArrayList<>();
        List<String> unscorable = new ArrayList<>();
        int declared = 0;
        int reported = 0;
        double sum = 0;
        double variance = 0;
        long accepted = 0;
        for (CatalogDao.CatalogKpi k : kpis) {
            CognitionDao.Figures f = hour.get(k.kpi());
            if (f != null) {
                accepted += f.count();
            }
            Normaliser n = k.healthBearing() ? Normaliser.of(k) : null;
            if (k.healthBearing() && n == null) {
                unscorable.add(k.kpi());
            }
            if (n != null) {
                declared++;
            }
            Double normalised = null;
            if (n != null && f != null && f.count() > 0) {
                reported++;
                double value = n.apply(f.mean());
                double se = flagged.contains(domain + "/" + k.kpi()) ? MAX_SD : n.standardError(f);
                sum += value;
                variance += se * se;
                normalised = value;
            }
            readings.add(new KpiReading(k.kpi(), k.unit(), k.healthBearing(),
                    f == null ? 0 : f.count(), f == null || f.count() == 0 ? null : f.mean(), normalised));
        }
        if (reported == 0) {
            return new DomainScore(domain, Scores.GAP, Double.NaN, readings, unscorable);
        }
        double health = sum / reported;
        double healthError = Math.sqrt(variance) / reported;
        double coverage = (double) reported / declared;
        double acceptance = (double) accepted / (accepted + rejected);
        double trust = coverage * acceptance;
        double confidence = clamp(1 - Z95 * healthError);
        return new DomainScore(domain, new Scores(health, trust, confidence), healthError, readings, unscorable);
    }

    static Scores overall(Iterable<DomainScore> domains, Map<String, Double> weights) {
        double w = 0;
        double health = 0;
        double trust = 0;
        double variance = 0;
        for (DomainScore d : domains) {
            if (!d.scores().present()) {
                continue;
            }
            double wd = weights.getOrDefault(d.domain(), 1.0);
            if (wd <= 0) {
                continue;
            }
            w += wd;
            health += wd * d.scores().health();
            trust += wd * d.scores().trust();
            variance += wd * wd * d.healthError() * d.healthError();
        }
        if (w == 0) {
            return Scores.GAP;
        }
        return new Scores(health / w, trust / w, clamp(1 - Z95 * Math.sqrt(variance) / w));
    }

    static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /**
     * Maps a KPI's hourly mean to 0..1 and estimates the standard error of that figure from the
     * hour's count and variance (the delta method for the non-linear forms).
     */
    interface Normaliser {

        double apply(double mean);

        /** |d apply / d mean| at the mean. */
        double slope(double mean);

        default double standardError(CognitionDao.Figures f) {
            if (f.count() < 2) {
                return MAX_SD; // one value says nothing about its spread: assume the widest a 0..1 figure can have
            }
            double mean = f.mean();
            double var = Math.max(0, (f.sumOfSquares() - f.count() * mean * mean) / (f.count() - 1));
            double sd = Math.min(MAX_SD, slope(mean) * Math.sqrt(var));
            return sd / Math.sqrt(f.count());
        }

        /** The normaliser a KPI's declaration implies, or null when it cannot be scored. */
        static Normaliser of(CatalogDao.CatalogKpi k) {
            boolean lower = k.direction().startsWith("LOWER");
            Double t = k.target();
            if (lower && t != null && t > 0) {
                double target = t;
                return new Normaliser() { // at or under the target is fully healthy; above it, target / mean
                    public double apply(double mean) {
                        return mean <= target ? 1 : target / mean;
                    }

                    public double slope(double mean) {
                        // at the kink the slope from above, 1 / target: conservative, never zero
                        return mean <= target ? 1 / target : target / (mean * mean);
                    }
                };
            }
            // A higher-is-better ratio with a target is judged against it (below, mean / target), as any
            // other higher-is-better KPI: target(0.95) means 0.95 is fully healthy, not 1.0.
            if (k.unit().equals("RATIO") && (lower || t == null || t <= 0)) {
                return new Normaliser() {
                    public double apply(double mean) {
                        return clamp(lower ? 1 - mean : mean);
                    }

                    public double slope(double mean) {
                        return 1;
                    }
                };
            }
            if (!lower && t != null && t > 0) {
                double target = t;
                return new Normaliser() { // at or over the target is fully healthy; under it, mean / target
                    public double apply(double mean) {
                        return clamp(mean / target);
                    }

                    public double slope(double mean) {
                        return 1 / target;
                    }
                };
            }
            return null;
        }
    }
}
