package dev.grace.runtime.internal.core;

import dev.grace.runtime.PublishStats;
import dev.grace.runtime.extension.StoreService;
import dev.grace.runtime.internal.extension.Extensions;
import dev.grace.runtime.internal.lifecycle.ManagedPlugin;
import dev.grace.runtime.internal.publish.DomainPublishers;
import dev.grace.runtime.internal.publish.SafePublisher;
import dev.grace.runtime.internal.rollup.RollupRegistry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime's publishing figures: values accepted, rejected by reason, raw events dropped (by the
 * publisher, by the raw-event queue) and refused by the store, per publisher; and rejections per
 * domain, which the store writes per hour. Reads never take the runtime's lock.
 */
final class PublishFigures {

    private final RollupRegistry rollups;
    private final Extensions extensions;
    /** Raw events the raw-event queue dropped, per publisher id. */
    private final Map<String, Long> rawLostBySink = new ConcurrentHashMap<>();

    PublishFigures(RollupRegistry rollups, Extensions extensions) {
        this.rollups = rollups;
        this.extensions = extensions;
    }

    /** Counts one raw event of this publisher that the raw-event queue dropped. */
    void rawLost(String pluginId) {
        rawLostBySink.merge(pluginId, 1L, Long::sum);
    }

    /**
     * Accepted, rejected by reason and raw events dropped, per plugin and in total.
     *
     * @param http the publishers of values posted from outside plugins; null when none were made
     */
    PublishStats stats(List<ManagedPlugin> plugins, DomainPublishers http) {
        Map<String, PublishStats.PluginFigures> figures = new LinkedHashMap<>();
        for (ManagedPlugin p : plugins) {
            SafePublisher pub = p.publisher();
            if (pub != null) {
                figures.put(pub.pluginId(), figures(pub));
            }
        }
        if (http != null) {
            http.publishers().forEach(pub -> figures.put(pub.pluginId(), figures(pub)));
        }
        return new PublishStats(figures);
    }

    private PublishStats.PluginFigures figures(SafePublisher pub) {
        long lost = rawLostBySink.getOrDefault(pub.pluginId(), 0L);
        long refused = extensions.service(StoreService.class)
                .map(s -> s.rawEventsRefusedByPublisher().getOrDefault(pub.pluginId(), 0L)).orElse(0L);
        return new PublishStats.PluginFigures(rollups.acceptedCount(pub.pluginId()), pub.rejections().byReason(),
                pub.rejections().rawDropped() + lost, refused, rollups.seriesOverflowCount(pub.pluginId()));
    }

    /** Values rejected so far, per domain. */
    Map<String, Long> rejectedByDomain(List<ManagedPlugin> plugins) {
        Map<String, Long> out = new HashMap<>();
        for (ManagedPlugin p : plugins) {
            SafePublisher pub = p.publisher();
            if (pub != null && p.info() != null) {
                long n = pub.rejections().byReason().values().stream().mapToLong(Long::longValue).sum();
                out.merge(p.info().domain(), n, Long::sum);
            }
        }
        return out;
    }
}
