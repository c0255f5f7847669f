package dev.grace.runtime;

import dev.grace.api.RejectReason;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The publisher's self-metrics at one moment: values accepted, rejected by reason, and raw events
 * dropped (queue full, or lost by a failing sink), per plugin and in total.
 *
 * @param perPlugin each plugin's figures, by plugin id
 */
public record PublishStats(Map<String, PluginFigures> perPlugin) {

    public PublishStats {
        perPlugin = Map.copyOf(perPlugin);
    }

    /**
     * One plugin's figures.
     *
     * @param accepted   values accepted
     * @param rejected   rejections by reason; reasons never seen are absent
     * @param rawDropped raw events dropped: over the plugin's share of the raw-event queue, queue
     *                   full, or lost by a failing sink (the values themselves are still in the rollups)
     * @param rawRefused raw events the store's database refused for what they hold (a value too long,
     *                   a character it cannot store); each was dropped alone and the rows around it
     *                   written; not part of {@code rawDropped}
     * @param seriesOverflow values accepted into a KPI's overflow series: recorded on a series bound
     *                   past the KPI's {@code maxSeries}; part of {@code accepted}, not a rejection
     */
    public record PluginFigures(long accepted, Map<RejectReason, Long> rejected, long rawDropped, long rawRefused,
                                long seriesOverflow) {

        public PluginFigures {
            rejected = Map.copyOf(rejected);
        }

        /** Figures of a publisher that recorded nothing into an overflow series. */
        public PluginFigures(long accepted, Map<RejectReason, Long> rejected, long rawDropped, long rawRefused) {
            this(accepted, rejected, rawDropped, rawRefused, 0);
        }

        /** Figures of a publisher whose raw events no store refused. */
        public PluginFigures(long accepted, Map<RejectReason, Long> rejected, long rawDropped) {
            this(accepted, rejected, rawDropped, 0);
        }

        /** All rejections. */
        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public Set<String> pluginIds() {
        return perPlugin.keySet();
    }

    private PluginFigures of(String pluginId) {
        return perPlugin.getOrDefault(pluginId, new PluginFigures(0, Map.of(), 0));
    }

    public long accepted(String pluginId) {
        return of(pluginId).accepted();
    }

    public Map<RejectReason, Long> rejected(String pluginId) {
        return of(pluginId).rejected();
    }

    public long rejected(String pluginId, RejectReason reason) {
        return of(pluginId).rejected().getOrDefault(reason, 0L);
    }

    public long rawDropped(String pluginId) {
        return of(pluginId).rawDropped();
    }

    public long totalAccepted() {
        return perPlugin.values().stream().mapToLong(PluginFigures::accepted).sum();
    }

    public long totalRejected() {
        return perPlugin.values().stream().mapToLong(PluginFigures::rejectedTotal).sum();
    }

    /** Rejections by reason across all plugins. */
    public Map<RejectReason, Long> totalRejectedByReason() {
        Map<RejectReason, Long> out = new EnumMap<>(RejectReason.class);
        perPlugin.values().forEach(f -> f.rejected().forEach((r, n) -> out.merge(r, n, Long::sum)));
        return out;
    }

    public long rawRefused(String pluginId) {
        return of(pluginId).rawRefused();
    }

    public long totalRawRefused() {
        return perPlugin.values().stream().mapToLong(PluginFigures::rawRefused).sum();
    }

    /** Values one plugin recorded into overflow series (accepted, and counted here). */
    public long seriesOverflow(String pluginId) {
        return of(pluginId).seriesOverflow();
    }

    /** Values recorded into overflow series across all plugins. */
    public long totalSeriesOverflow() {
        return perPlugin.values().stream().mapToLong(PluginFigures::seriesOverflow).sum();
    }

    public long totalRawDropped() {
        return perPlugin.values().stream().mapToLong(PluginFigures::rawDropped).sum();
    }
}
