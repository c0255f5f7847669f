/**
 * The Grace plugin SPI: everything a domain plugin compiles against.
 *
 * <p>A plugin implements {@link dev.grace.api.DomainPlugin}, registers it in
 * {@code META-INF/services/dev.grace.api.DomainPlugin}, declares its {@link dev.grace.api.Kpi}s and
 * publishes measurements through the {@link dev.grace.api.MetricPublisher} it receives in its
 * {@link dev.grace.api.PluginContext}. This package depends on nothing but {@code jakarta.inject}.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}: where null is
 * accepted or returned it means "now" or "none", and the signature says so (JSpecify, read by IDEs
 * and NullAway; the annotations are not needed at run time).
 */
@NullMarked
package dev.grace.api;

import org.jspecify.annotations.NullMarked;
