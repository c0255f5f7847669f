/**
 * The Grace plugin SPI: everything a domain plugin compiles against.
 *
 * <p>A plugin implements {@link dev.grace.api.DomainPlugin}, registers it in
 * {@code META-INF/services/dev.grace.api.DomainPlugin}, declares its {@link dev.grace.api.Kpi}s and
 * publishes measurements through the {@link dev.grace.api.MetricPublisher} it receives in its
 * {@link dev.grace.api.PluginContext}. This package depends on nothing but {@code jakarta.inject}.
 */
package dev.grace.api;
