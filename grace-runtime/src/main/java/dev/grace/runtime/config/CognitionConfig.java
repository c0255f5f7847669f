package dev.grace.runtime.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

/**
 * Scores, hourly benchmark evaluation, readiness events and alerts. Every formula is in
 * {@code docs/cognition.md}.
 *
 * <p>A benchmark is one line, {@code NAME: METRIC >= THRESHOLD over WINDOW after MIN_SAMPLES}, for
 * example {@code overall_trust: overall.trust >= 0.90 over 168h after 24}: the metric must be at or
 * above (or, with {@code <=}, at or below) the threshold in every hour of the window to be
 * sustained, and is not judged until the window holds at least {@code MIN_SAMPLES} hours with a
 * value. A metric is {@code overall.health|trust|confidence} or {@code DOMAIN.health|trust|confidence};
 * {@code *.health} stands for each domain that has plugins.
 *
 * @param enabled        whether the runtime evaluates hours at all (default true)
 * @param gracePeriod    how long after an hour ends it is evaluated, for late events (default 5m)
 * @param lease          how long the evaluation lock is held before another runtime may take it (default 2m)
 * @param benchmarks     the benchmarks, one line each (default: the three overall scores at 0.90 and
 *                       every domain's health at 0.85, each over 168h after 24 samples)
 * @param weights        {@code DOMAIN=WEIGHT} entries for the overall scores; unlisted domains weigh 1
 * @param dipThreshold   a domain's health under this raises {@code domain_dip} (default 0.5)
 * @param logAlerts      alert types written to the log ({@code all} by default)
 * @param fileAlerts     alert types appended to {@code <dataDir>/alerts.jsonl} ({@code all} by default)
 * @param webhookAlerts  alert types POSTed to {@code webhookUrl} ({@code all} by default)
 * @param webhookUrl     where alerts are POSTed as JSON; null for none
 * @param webhookTimeout how long one POST may take (default 5s)
 * @param webhookRetries retries after a failed POST, with doubling, jittered backoff from 1s (default 3)
 * @param guard          the guard that flags health-bearing KPIs whose series look invented or broken
 */
public record CognitionConfig(boolean enabled, Duration gracePeriod, Duration lease, List<String> benchmarks,
                              List<String> weights, double dipThreshold, List<String> logAlerts,
                              List<String> fileAlerts, List<String> webhookAlerts, String webhookUrl,
                              Duration webhookTimeout, int webhookRetries, Guard guard) {

    /** The default benchmarks. */
    public static final List<String> DEFAULT_BENCHMARKS = List.of(
            "overall_health: overall.health >= 0.90 over 168h after 24",
            "overall_trust: overall.trust >= 0.90 over 168h after 24",
            "overall_confidence: overall.confidence >= 0.90 over 168h after 24",
            "domain_health: *.health >= 0.85 over 168h after 24");

    /**
     * The alert types a channel can be given ({@code logAlerts}, {@code fileAlerts}, {@code webhookAlerts}),
     * besides {@code all}; docs/cognition.md says when each is raised.
     */
    public static final List<String> ALERT_TYPES = List.of("threshold_crossed", "threshold_lost", "domain_dip",
            "elevation_ready", "guard_flag_raised", "guard_flag_cleared");

    /** Fills defaults and checks the values. */
    public CognitionConfig {
        gracePeriod = gracePeriod == null ? Duration.ofMinutes(5) : gracePeriod;
        if (gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofMinutes(59)) > 0) {
            throw new IllegalArgumentException("cognition.gracePeriod must be between 0s and 59m, got " + gracePeriod);
        }
        lease = GraceConfig.Lifecycle.positive(lease, "cognition.lease", Duration.ofMinutes(2));
        benchmarks = benchmarks == null ? DEFAULT_BENCHMARKS : List.copyOf(benchmarks);
        weights = weights == null ? List.of() : List.copyOf(weights);
        BenchmarkSpec.parse(benchmarks); // a bad line fails here, named
        parseWeights(weights);
        if (Double.isNaN(dipThreshold) || dipThreshold < 0 || dipThreshold > 1) {
            throw new IllegalArgumentException("cognition.dipThreshold must be between 0 and 1, got " + dipThreshold);
        }
        logAlerts = alertTypes(logAlerts, "cognition.logAlerts");
        fileAlerts = alertTypes(fileAlerts, "cognition.fileAlerts");
        webhookAlerts = alertTypes(webhookAlerts, "cognition.webhookAlerts");
        webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : webhookUrl.strip();
        if (webhookUrl != null) {
            java.net.URI uri;
            try {
                uri = java.net.URI.create(webhookUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cognition.webhookUrl '" + webhookUrl + "' is not a URL: " + e.getMessage());
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("cognition.webhookUrl '" + webhookUrl
                        + "' must be an http or https URL with a host");
            }
        }
        webhookTimeout = GraceConfig.Lifecycle.positive(webhookTimeout, "cognition.webhookTimeout", Duration.ofSeconds(5));
        if (webhookRetries < 0 || webhookRetries > 10) {
            throw new IllegalArgumentException("cognition.webhookRetries must be between 0 and 10, got " + webhookRetries);
        }
        guard = guard == null ? Guard.defaults() : guard;
    }

    /**
     * Cognition's guard (docs/cognition.md, "The guard").
     *
     * @param enabled        whether hours are checked and flags raised (default true)
     * @param window         how many evaluated hours a series is judged over, in whole hours from 2h to
     *                       30d (default 24h); a flag needs at least half of them to hold values
     * @param distinctValues a series whose hourly means take at most this many distinct values over
     *                       the window (and not just one) is flagged {@code few_values}; 1 to 100 (default 2)
     */
    public record Guard(boolean enabled, Duration window, int distinctValues) {

        /** Fills defaults and checks the values. */
        public Guard {
            window = window == null ? Duration.ofHours(24) : window;
            if (window.compareTo(Duration.ofHours(2)) < 0 || window.compareTo(Duration.ofDays(30)) > 0
                    || window.toMillis() % 3_600_000L != 0) {
                throw new IllegalArgumentException("cognition.guard.window must be whole hours from 2h to 30d, got "
                        + Durations.format(window));
            }
            distinctValues = distinctValues == 0 ? 2 : distinctValues;
            if (distinctValues < 1 || distinctValues > 100) {
                throw new IllegalArgumentException("cognition.guard.distinctValues must be between 1 and 100, got "
                        + distinctValues);
            }
        }

        /** On, 24 hours, 2 distinct values. */
        public static Guard defaults() {
            return new Guard(true, null, 0);
        }

        /** The window in hours. */
        public int windowHours() {
            return (int) window.toHours();
        }
    }

    /** Every default. */
    public static CognitionConfig defaults() {
        return new CognitionConfig(true, null, null, null, null, 0.5, null, null, null, null, null, 3, null);
    }

    /** A copy with other benchmarks. */
    public CognitionConfig withBenchmarks(List<String> lines) {
        return new CognitionConfig(enabled, gracePeriod, lease, lines, weights, dipThreshold, logAlerts, fileAlerts,
                webhookAlerts, webhookUrl, webhookTimeout, webhookRetries, guard);
    }

    /** A copy with another webhook. */
    public CognitionConfig withWebhook(String url, Duration timeout, int retries) {
        return new CognitionConfig(enabled, gracePeriod, lease, benchmarks, weights, dipThreshold, logAlerts,
                fileAlerts, webhookAlerts, url, timeout, retries, guard);
    }

    /** A copy switched on or off. */
    public CognitionConfig withEnabled(boolean on) {
        return new CognitionConfig(on, gracePeriod, lease, benchmarks, weights, dipThreshold, logAlerts, fileAlerts,
                webhookAlerts, webhookUrl, webhookTimeout, webhookRetries, guard);
    }

    /** A copy with another grace period. */
    public CognitionConfig withGracePeriod(Duration d) {
        return new CognitionConfig(enabled, d, lease, benchmarks, weights, dipThreshold, logAlerts, fileAlerts,
                webhookAlerts, webhookUrl, webhookTimeout, webhookRetries, guard);
    }

    /** A copy with another lease. */
    public CognitionConfig withLease(Duration d) {
        return new CognitionConfig(enabled, gracePeriod, d, benchmarks, weights, dipThreshold, logAlerts, fileAlerts,
                webhookAlerts, webhookUrl, webhookTimeout, webhookRetries, guard);
    }

    /** A copy with another guard. */
    public CognitionConfig withGuard(Guard g) {
        return new CognitionConfig(enabled, gracePeriod, lease, benchmarks, weights, dipThreshold, logAlerts, fileAlerts,
                webhookAlerts, webhookUrl, webhookTimeout, webhookRetries, g);
    }

    /**
     * A channel's alert types, {@code all} when not given; an empty list silences the channel. A name
     * that is no alert type fails here, named with its key: otherwise a misspelt type would quietly
     * route nothing to the channel.
     */
    private static List<String> alertTypes(List<String> given, String key) {
        if (given == null) {
            return List.of("all");
        }
        List<String> out = new ArrayList<>();
        for (String t : given) {
            String type = t == null ? "" : t.strip();
            if (!type.equals("all") && !ALERT_TYPES.contains(type)) {
                throw new IllegalArgumentException(key + " lists '" + t + "', which is no alert type; expected all or any of "
                        + String.join(", ", ALERT_TYPES));
            }
            out.add(type);
        }
        return List.copyOf(out);
    }

    public static Map<String, Double> parseWeights(List<String> entries) {
        Map<String, Double> out = new HashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            String where = "cognition.weights entry '" + e + "'";
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": expected DOMAIN=WEIGHT, for example security=2");
            }
            double w;
            try {
                w = Double.parseDouble(e.substring(eq + 1).strip());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException(where + ": the weight is not a number");
            }
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(where + ": the weight must be a finite number of at least 0");
            }
            out.put(e.substring(0, eq).strip(), w);
        }
        return Map.copyOf(out);
    }
}
