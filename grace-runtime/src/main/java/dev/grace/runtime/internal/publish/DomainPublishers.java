package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.api.RejectReason;
import dev.grace.runtime.RejectionListener;
import dev.grace.runtime.extension.DomainPublishing;
import dev.grace.runtime.internal.rollup.KpiAccumulator;
import dev.grace.runtime.internal.rollup.RollupRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The publishers behind {@code POST /api/cognition/domain/{domain}/update}: one {@link SafePublisher}
 * per domain, owned by the runtime, publishing as {@code http:<domain>} into the accumulators of the
 * KPIs that domain's plugins declared. Values posted over HTTP so go through the same validation,
 * rollups, raw events and rejection counts as values a plugin publishes; they are counted under
 * their own publisher id, so a plugin's figures stay its own.
 */
public final class DomainPublishers implements DomainPublishing, AutoCloseable {

    /** Makes a domain's publisher, as the runtime makes a plugin's. */
    @FunctionalInterface
    public interface Factory {
        SafePublisher create(String publisherId, List<KpiAccumulator> accumulators, RejectionListener listener);
    }

    /** The reason of the last rejection on this thread; SafePublisher tells its listener on the publishing thread. */
    private static final ThreadLocal<RejectReason> LAST_REJECTION = new ThreadLocal<>();

    private final Map<String, List<Kpi>> declared;
    private final RollupRegistry rollups;
    private final Factory factory;
    private final RejectionListener host;
    private final Map<String, SafePublisher> byDomain = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param declared each domain's KPIs, as its accepted plugins declared them
     * @param host     the host's rejection listener, told of these rejections too; may be null
     */
    public DomainPublishers(Map<String, List<Kpi>> declared, RollupRegistry rollups, Factory factory,
                            RejectionListener host) {
        Map<String, List<Kpi>> copy = new TreeMap<>();
        declared.forEach((d, kpis) -> copy.put(d, List.copyOf(kpis)));
        this.declared = copy;
        this.rollups = rollups;
        this.factory = factory;
        this.host = host;
    }

    /** The id values posted for {@code domain} are counted under. */
    public static String publisherId(String domain) {
        return "http:" + domain;
    }

    /** The domains that accept values: those with at least one accepted plugin. */
    public Set<String> domains() {
        return declared.keySet();
    }

    /** The KPI names {@code domain} declares, empty when none. */
    public List<String> kpiNames(String domain) {
        return declared.getOrDefault(domain, List.of()).stream().map(Kpi::name).toList();
    }

    /**
     * Publishes one value for a domain.
     *
     * @param at       the event's time; null for now
     * @param metadata may be null
     * @return null when accepted, else why not
     * @throws IllegalArgumentException when no plugin declares the domain
     */
    public RejectReason publish(String domain, String kpi, double value, Instant at, Map<String, String> metadata) {
        return publish(domain, kpi, null, value, at, metadata);
    }

    /**
     * Publishes one value into one series of a domain's KPI.
     *
     * @param attributes the series' attributes; null or empty for the KPI's values without attributes
     * @param at         the event's time; null for now
     * @param metadata   may be null
     * @return null when accepted, else why not (an undeclared key, a disallowed value, ...)
     * @throws IllegalArgumentException when no plugin declares the domain
     */
    public RejectReason publish(String domain, String kpi, Map<String, String> attributes, double value, Instant at,
                                Map<String, String> metadata) {
        SafePublisher publisher = publisher(domain);
        LAST_REJECTION.remove();
        boolean accepted = publisher.publish(kpi, attributes, value, at, metadata);
        RejectReason reason = LAST_REJECTION.get();
        LAST_REJECTION.remove();
        return accepted ? null : reason == null ? RejectReason.CLOSED : reason;
    }

    private SafePublisher publisher(String domain) {
        List<Kpi> kpis = declared.get(domain);
        if (kpis == null) {
            throw new IllegalArgumentException("unknown domain " + domain);
        }
        return byDomain.computeIfAbsent(domain, d -> {
            String id = publisherId(d);
            List<KpiAccumulator> accumulators = new ArrayList<>();
            for (Kpi kpi : kpis) {
                accumulators.add(rollups.register(id, d, kpi));
            }
            SafePublisher p = factory.create(id, accumulators, (pluginId, name, value, reason) -> {
                LAST_REJECTION.set(reason);
                if (host != null) {
                    host.rejected(pluginId, name, value, reason);
                }
            });
            if (closed) {
                p.close();
            }
            return p;
        });
    }

    /** The publishers made so far, one per domain that was posted to. */
    public Collection<SafePublisher> publishers() {
        return List.copyOf(byDomain.values());
    }

    /** Refuses everything from now on; the accumulators are closed with the runtime's. */
    @Override
    public void close() {
        closed = true;
        byDomain.values().forEach(SafePublisher::close);
    }
}
