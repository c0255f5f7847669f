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
 * One configured benchmark: {@code NAME: METRIC >= THRESHOLD over WINDOW after MIN_SAMPLES}.
 *
 * @param name        the benchmark's name
 * @param metric      {@code overall.X}, {@code DOMAIN.X} or {@code *.X}, X one of health, trust, confidence
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
            Duration window;
            try {
                window = Durations.parse(m.group(6));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": window '" + m.group(6) + "': " + Durations.EXPECTED);
            }
            if (window.toMinutes() % 60 != 0 || window.toHours() < 1 || window.toHours() > 24 * 90) {
                throw new IllegalArgumentException(where + ": window must be whole hours between 1h and 90d, got "
                        + m.group(6));
            }
            int hours = (int) window.toHours();
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
}
