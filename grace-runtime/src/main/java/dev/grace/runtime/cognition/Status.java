package dev.grace.runtime.cognition;

import java.time.Instant;
import java.util.List;

/**
 * Every domain's scores and the overall scores for one hour.
 *
 * @param hour    the hour's start
 * @param open    whether the hour is still open (its figures may change)
 * @param overall the weighted overall scores across the domains with a value
 * @param domains each domain that has plugins, by name
 */
public record Status(Instant hour, boolean open, Scores overall, List<DomainStatus> domains) {

    public Status {
        domains = List.copyOf(domains);
    }
}
