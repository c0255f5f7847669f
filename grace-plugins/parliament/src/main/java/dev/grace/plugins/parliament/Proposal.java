package dev.grace.plugins.parliament;

import java.util.Objects;

/**
 * Something parliament is asked to decide: quarantine a plugin, or change a cognition benchmark's
 * threshold. The runtime's state gives rise to proposals on its own; a host submits its own with
 * {@link ParliamentPlugin#propose(Proposal)}.
 *
 * @param kind      what would be done
 * @param target    the plugin id (quarantine) or benchmark name (threshold)
 * @param threshold the new threshold; NaN for a quarantine
 * @param from      the benchmark's threshold when proposed, NaN when unknown or for a quarantine
 * @param reason    why, in one line
 * @param origin    {@code runtime} for proposals parliament made itself from the runtime's state (a
 *                  quarantine: restarts beyond the limit), {@link #KPIS} for a quarantine it proposed
 *                  because the plugin's health-bearing KPIs measure bad, {@code host} for submitted ones
 */
public record Proposal(Kind kind, String target, double threshold, double from, String reason, String origin) {

    /** The origin of a quarantine parliament proposed on the plugin's measured KPIs. */
    public static final String KPIS = "kpis";

    /** What a proposal would do once passed. */
    public enum Kind {
        /** Stop a plugin and keep it stopped ({@code RuntimeActions.quarantine}). */
        QUARANTINE,
        /** Set a benchmark's threshold ({@code RuntimeActions.setBenchmarkThreshold}). */
        BENCHMARK_THRESHOLD
    }

    /** Checks the components: a threshold proposal needs a finite threshold. */
    public Proposal {
        Objects.requireNonNull(kind, "kind");
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("a " + kind + " proposal needs a target, got '" + target + "'");
        }
        if (kind == Kind.BENCHMARK_THRESHOLD && !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("a threshold proposal for benchmark " + target
                    + " needs a finite threshold, got " + threshold);
        }
        if (kind == Kind.QUARANTINE) {
            threshold = Double.NaN;
            from = Double.NaN;
        }
        reason = reason == null ? "" : reason;
        origin = origin == null ? "host" : origin;
    }

    /** A host's proposal to quarantine a plugin. */
    public static Proposal quarantine(String pluginId, String reason) {
        return new Proposal(Kind.QUARANTINE, pluginId, Double.NaN, Double.NaN, reason, "host");
    }

    /** A host's proposal to set a benchmark's threshold. */
    public static Proposal benchmarkThreshold(String benchmark, double threshold, String reason) {
        return new Proposal(Kind.BENCHMARK_THRESHOLD, benchmark, threshold, Double.NaN, reason, "host");
    }

    /** The same proposal, knowing the benchmark's current threshold. */
    Proposal from(double current) {
        return new Proposal(kind, target, threshold, current, reason, origin);
    }

    /**
     * What makes two proposals the same: kind, target and, for a threshold, where from and where to.
     * The reason does not count, nor the origin, except that a quarantine proposed on measured KPIs
     * ({@link #KPIS}) is another proposal than one on restarts or a host's: its rejection does not
     * keep the plugin from being proposed again once it fails beyond the restart limit.
     */
    public String key() {
        if (kind == Kind.QUARANTINE) {
            return "quarantine:" + target + (KPIS.equals(origin) ? ":" + KPIS : "");
        }
        return "threshold:" + target + ":" + from + "->" + threshold;
    }
}
