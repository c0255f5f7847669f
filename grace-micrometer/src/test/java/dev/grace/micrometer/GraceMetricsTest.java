package dev.grace.micrometer;

import dev.grace.api.RejectReason;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.config.ConfigLoader;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.testkit.PluginHarness;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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

    @Test
    void domainScoresAreCognitionsOnceTheStoreHoldsTheHour(@TempDir Path data) {
        ShopPlugin shop = new ShopPlugin();
        GraceConfig config = ConfigLoader.create().override("test", "dataDir", data.toString()).load();
        // the real store (H2 file) and cognition, found on the test classpath as a host would
        try (GraceRuntime grace = GraceRuntime.builder().config(config).discoverClasspath(false).plugin(shop)
                .build().start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new GraceMetrics(grace, Duration.ZERO).bindTo(registry);
            assertThat(grace.cognition()).isPresent();
            for (int i = 1; i <= 40; i++) {
                shop.publisher.record(ShopPlugin.LATENCY, i / 20.0); // half of them above the 1 s target
            }
            assertThat(grace.flushStore(Duration.ofSeconds(30))).isTrue();

            Scores scores = grace.cognition().orElseThrow().status().domains().stream()
                    .filter(d -> d.domain().equals("shop")).findFirst().orElseThrow().scores();
            assertThat(scores.health()).isNotNull().isBetween(0.0, 1.0).isNotEqualTo(1.0);
            assertThat(registry.get("grace.domain.health").tag("domain", "shop").gauge().value()).isEqualTo(scores.health());
            assertThat(registry.get("grace.domain.trust").tag("domain", "shop").gauge().value()).isEqualTo(scores.trust());
            assertThat(registry.get("grace.domain.confidence").tag("domain", "shop").gauge().value())
                    .isEqualTo(scores.confidence() == null ? Double.NaN : scores.confidence());
        }
    }

    private static double counter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }
}
