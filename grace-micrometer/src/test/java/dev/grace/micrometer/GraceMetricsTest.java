package dev.grace.micrometer;

import dev.grace.api.RejectReason;
import dev.grace.runtime.HourlyRollup;
import dev.grace.testkit.PluginHarness;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class GraceMetricsTest {

    @Test
    void kpiMetersInTheHostsRegistryEqualTheRuntimesRollups() {
        ShopPlugin shop = new ShopPlugin();
        try (PluginHarness h = PluginHarness.forPlugin(shop).start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new GraceMetrics(h.runtime(), Duration.ZERO).bindTo(registry);
            for (int i = 1; i <= 200; i++) {
                shop.publisher.record(ShopPlugin.LATENCY, i / 100.0);
            }
            shop.publisher.record(ShopPlugin.CART, 2048);
            shop.publisher.record(ShopPlugin.LATENCY, Double.NaN);
            shop.publisher.record(ShopPlugin.LATENCY, 61);

            HourlyRollup hour = h.currentHour("latency").orElseThrow();
            assertThat(counter(registry, "grace.kpi.accepted", "kpi", "latency")).isEqualTo(200);
            assertThat(registry.get("grace.kpi.hour.mean").tags("domain", "shop", "kpi", "latency").gauge().value())
                    .isEqualTo(hour.mean());
            for (double phi : new double[] {0.5, 0.95, 0.99}) {
                assertThat(registry.get("grace.kpi.hour.percentile").tags("kpi", "latency", "phi", Double.toString(phi))
                        .gauge().value()).isEqualTo(hour.quantile(phi));
            }
            assertThat(hour.quantile(0.95)).isBetween(1.88, 1.92);
            assertThat(counter(registry, "grace.values.accepted")).isEqualTo(201);
            assertThat(counter(registry, "grace.values.rejected", "reason", RejectReason.NOT_A_NUMBER.name())).isEqualTo(1);
            assertThat(counter(registry, "grace.values.rejected", "reason", RejectReason.OUT_OF_RANGE.name())).isEqualTo(1);
            assertThat(counter(registry, "grace.values.rejected", "reason", RejectReason.TOO_LATE.name())).isZero();
            assertThat(counter(registry, "grace.raw.events.dropped")).isZero();
            // no cognition attached: the scores are unknown, not 0
            assertThat(registry.get("grace.domain.health").tag("domain", "shop").gauge().value()).isNaN();

            h.advance(Duration.ofHours(1));
            shop.publisher.record(ShopPlugin.LATENCY, 0.5);
            assertThat(counter(registry, "grace.kpi.accepted", "kpi", "latency")).isEqualTo(201); // monotonic across hours
            assertThat(registry.get("grace.kpi.hour.mean").tags("kpi", "latency").gauge().value()).isEqualTo(0.5);
            assertThat(registry.get("grace.kpi.hour.mean").tags("kpi", "cart_size").gauge().value()).isNaN();
        }
    }

    @Test
    void prometheusScrapeNamesEachKpiFamilyWithItsBaseUnit() {
        ShopPlugin shop = new ShopPlugin();
        try (PluginHarness h = PluginHarness.forPlugin(shop).start()) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new GraceMetrics(h.runtime()).bindTo(registry);
            shop.publisher.record(ShopPlugin.LATENCY, 0.25);
            shop.publisher.record(ShopPlugin.LATENCY, 0.75);
            shop.publisher.record(ShopPlugin.CART, 4096);

            String scrape = registry.scrape();
            assertThat(scrape)
                    .contains("grace_kpi_accepted_total{domain=\"shop\",kpi=\"latency\"} 2.0")
                    .contains("grace_kpi_hour_mean_seconds{domain=\"shop\",kpi=\"latency\"} 0.5")
                    .contains("grace_kpi_hour_mean_bytes{domain=\"shop\",kpi=\"cart_size\"} 4096.0")
                    .contains("grace_kpi_hour_percentile_seconds{domain=\"shop\",kpi=\"latency\",phi=\"0.95\"} ")
                    .contains("grace_values_rejected_total{reason=\"OUT_OF_RANGE\"} 0.0")
                    .contains("grace_values_accepted_total 3.0");
        }
    }

    private static double counter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }
}
