package dev.grace.runtime.config;

import dev.grace.runtime.config.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configured benchmark: {@code NAME: METRIC >= THRESHOLD over WINDOW after MIN_SAMPLES}, where
 * METRIC is a score ({@code overall.trust}, {@code core.health}, {@code *.confidence}; threshold in
 * [0, 1]) or one series of a KPI and a statistic of its hourly rollup
 * ({@code federation.latency{connector=billing}.p95}; any finite threshold, {@code after} optional:
 * the window's hours by default). A series metric is judged on the stored rollups of every series
 * whose attribute KEY has that VALUE, merged across nodes (docs/cognition.md).
 *
 * @param name        the benchmark's name
 * @param metric      {@code overall.X}, {@code DOMAIN.X} or {@code *.X}, X one of health, trust, confidence;
 *                    or {@code DOMAIN.KPI{KEY=VALUE}.STATISTIC}
 * @param atLeast     true for {@code >=}, false for {@code <=}
 * @param threshold   the threshold
 * @param windowHours hours that must all meet the threshold for it to be sustained
 * @param minSamples  hours with a value the window needs before it is judged
 */
public record BenchmarkSpec(String name, String metric, boolean atLeast, double threshold, int windowHours,
                            int minSamples) {

    private static final Pattern LINE = Pattern.compile(
            "\\s*([a-z][a-z0-9_]{0,63})\\s*:\\s*(\\*|overall|[a-z][a-z0-9_]{0,63})\\.(health|trust|confidence)"
                    + "\\s*(>=|<=)\\s*([-+0-9.eE]+)\\s+over\\s+(\\S+)\\s+after\\s+(\\d+)\\s*");
    /** A line naming a series: the metric is checked on its own, so that each mistake gets its own message. */
    private static final Pattern SERIES_LINE = Pattern.compile(
            "\\s*([a-z][a-z0-9_]{0,63})\\s*:\\s*(\\S*\\{\\S*?)\\s*(>=|<=)\\s*(\\S+)\\s+over\\s+(\\S+)"
                    + "(?:\\s+after\\s+(\\S+))?\\s*");
    private static final Pattern SERIES_METRIC = Pattern.compile(
            "([a-z][a-z0-9_]{0,63})\\.([a-z][a-z0-9_]{0,63})\\{([^{}]*)\\}\\.([^.{}]*)");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** The statistics a series benchmark may judge, as {@code PeriodRollup} names them. */
    public static final List<String> STATISTICS = List.of("count", "mean", "min", "max", "stddev", "p50", "p95", "p99");
    /** {@code benchmark_history.metric}'s width. */
    static final int MAX_METRIC_LENGTH = 128;
    private static final String SERIES_EXAMPLE = "for example 'billing_p95: federation.latency{connector=billing}.p95"
            + " <= 0.25 over 24h'";

    /** The line as configured. */
    public String line() {
        return name + ": " + metric + (atLeast ? " >= " : " <= ") + threshold + " over " + windowHours + "h after "
                + minSamples;
    }

    /** {@code at_least} or {@code at_most}. */
    public String direction() {
        return atLeast ? "at_least" : "at_most";
    }

    /** Whether it stands for each domain ({@code *.X}). */
    public boolean perDomain() {
        return metric.startsWith("*.");
    }

    /** Whether it judges one series of a KPI ({@code DOMAIN.KPI{KEY=VALUE}.STATISTIC}) rather than a score. */
    public boolean isSeries() {
        return metric.indexOf('{') > 0;
    }

    /** A series benchmark's parts: domain, KPI, attribute key, attribute value, statistic. */
    public Series series() {
        Matcher m = SERIES_METRIC.matcher(metric);
        if (!m.matches()) {
            throw new IllegalStateException(metric + " is not a series benchmark");
        }
        String[] kv = m.group(3).split("=", 2);
        return new Series(m.group(1), m.group(2), kv[0], kv[1], m.group(4));
    }

    /**
     * The series a benchmark judges.
     *
     * @param statistic one of {@link #STATISTICS}
     */
    public record Series(String domain, String kpi, String key, String value, String statistic) {
    }

    /** Whether {@code t} is a threshold this benchmark takes: within [0, 1] for a score, finite for a series. */
    public boolean takes(double t) {
        return isSeries() ? Double.isFinite(t) : t >= 0 && t <= 1;
    }

    /** The score it judges: health, trust or confidence. */
    public String score() {
        return metric.substring(metric.indexOf('.') + 1);
    }

    /** This benchmark with the {@code *} replaced by a domain. */
    public String metricFor(String domain) {
        return perDomain() ? domain + "." + score() : metric;
    }

    public boolean meets(double value) {
        return atLeast ? value >= threshold : value <= threshold;
    }

    /** A copy with another threshold. */
    public BenchmarkSpec withThreshold(double t) {
        return new BenchmarkSpec(name, metric, atLeast, t, windowHours, minSamples);
    }

    /**
     * Parses the configured lines.
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it
     */
    public static List<BenchmarkSpec> parse(List<String> lines) {
        List<BenchmarkSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = "cognition.benchmarks item " + (i + 1) + " '" + line + "'";
            if (line.indexOf('{') >= 0 || line.indexOf('}') >= 0) {
                BenchmarkSpec spec = parseSeries(line, where);
                if (!names.add(spec.name())) {
                    throw new IllegalArgumentException(where + ": the name " + spec.name() + " is used twice");
                }
                out.add(spec);
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(where + ": expected 'NAME: METRIC >= THRESHOLD over WINDOW after"
                        + " MIN_SAMPLES', for example 'overall_trust: overall.trust >= 0.90 over 168h after 24'");
            }
            double threshold;
            try {
                threshold = Double.parseDouble(m.group(5));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": threshold '" + m.group(5) + "' is not a number");
            }
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException(where + ": threshold must be between 0 and 1, got " + threshold);
            }
            int hours = windowHours(m.group(6), where);
            int min = Integer.parseInt(m.group(7));
            if (min < 1 || min > hours) {
                throw new IllegalArgumentException(where + ": the minimum sample count must be between 1 and the"
                        + " window's " + hours + " hours, got " + min);
            }
            if (!names.add(m.group(1))) {
                throw new IllegalArgumentException(where + ": the name " + m.group(1) + " is used twice");
            }
            out.add(new BenchmarkSpec(m.group(1), m.group(2) + "." + m.group(3), m.group(4).equals(">="), threshold,
                    hours, min));
        }
        return List.copyOf(out);
    }

    /** A line naming one series: {@code NAME: DOMAIN.KPI{KEY=VALUE}.STATISTIC <= T over WINDOW [after N]}. */
    private static BenchmarkSpec parseSeries(String line, String where) {
        Matcher m = SERIES_LINE.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException(where + ": expected 'NAME: DOMAIN.KPI{KEY=VALUE}.STATISTIC <= THRESHOLD"
                    + " over WINDOW [after MIN_SAMPLES]', " + SERIES_EXAMPLE);
        }
        String metric = m.group(2);
        Matcher parts = SERIES_METRIC.matcher(metric);
        if (!parts.matches()) {
            throw new IllegalArgumentException(where + ": metric '" + metric + "' must be DOMAIN.KPI{KEY=VALUE}.STATISTIC"
                    + " with one pair of braces, " + SERIES_EXAMPLE);
        }
        String selector = parts.group(3);
        String[] kv = selector.split("=", -1);
        if (kv.length != 2 || selector.indexOf(',') >= 0) {
            throw new IllegalArgumentException(where + ": the series {" + selector + "} must name one attribute as"
                    + " {KEY=VALUE}, for example {connector=billing}");
        }
        if (!ATTRIBUTE_KEY.matcher(kv[0]).matches()) {
            throw new IllegalArgumentException(where + ": attribute key '" + kv[0] + "' must match "
                    + ATTRIBUTE_KEY.pattern());
        }
        if (kv[1].isEmpty() || kv[1].length() > 64 || kv[1].chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(where + ": attribute value '" + kv[1] + "' must be 1 to 64 characters"
                    + " without a control character");
        }
        if (!STATISTICS.contains(parts.group(4))) {
            throw new IllegalArgumentException(where + ": statistic '" + parts.group(4) + "' must be one of "
                    + String.join(", ", STATISTICS));
        }
        if (metric.length() > MAX_METRIC_LENGTH) {
            throw new IllegalArgumentException(where + ": the metric is " + metric.length() + " characters; at most "
                    + MAX_METRIC_LENGTH + " are stored");
        }
        double threshold;
        try {
            threshold = Double.parseDouble(m.group(4));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": threshold '" + m.group(4) + "' is not a number");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException(where + ": threshold must be a finite number, got " + m.group(4));
        }
        int hours = windowHours(m.group(5), where);
        int min = hours;
        if (m.group(6) != null) {
            try {
                min = Integer.parseInt(m.group(6));
            } catch (NumberFormatException e) {
                min = -1;
            }
        }
        if (min < 1 || min > hours) {
            throw new IllegalArgumentException(where + ": the minimum sample count must be between 1 and the"
                    + " window's " + hours + " hours, got " + m.group(6));
        }
        return new BenchmarkSpec(m.group(1), metric, m.group(3).equals(">="), threshold, hours, min);
    }

    /** A window of whole hours between 1h and 90d. */
    private static int windowHours(String text, String where) {
        Duration window;
        try {
            window = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": window '" + text + "': " + Durations.EXPECTED);
        }
        if (window.toMinutes() % 60 != 0 || window.toHours() < 1 || window.toHours() > 24 * 90) {
            throw new IllegalArgumentException(where + ": window must be whole hours between 1h and 90d, got " + text);
        }
        return (int) window.toHours();
    }
}
