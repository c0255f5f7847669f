package dev.grace.runtime.extension;

import dev.grace.api.RejectReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishing into the KPIs that a domain's plugins declared, from outside a plugin (the admin
 * server's POST). Each domain has one runtime-owned publisher, {@code http:<domain>}, with the same
 * checks, limits and rejection counters as a plugin's; its figures appear in the runtime's stats.
 */
public interface DomainPublishing {

    /** The domains that declared KPIs. */
    Set<String> domains();

    /** The KPI names a domain declared; empty for an unknown domain. */
    List<String> kpiNames(String domain);

    /**
     * Publishes one value; never throws.
     *
     * @param at       the value's time, or null for now
     * @param metadata at most the publisher's metadata limits
     * @return null when accepted, else why it was rejected (and counted)
     */
    RejectReason publish(String domain, String kpi, double value, Instant at, Map<String, String> metadata);
}
