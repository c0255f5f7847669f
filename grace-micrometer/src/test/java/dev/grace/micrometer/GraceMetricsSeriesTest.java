package dev.grace.micrometer;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.HourlyRollup;
import dev.grace.testkit.PluginHarness;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The series of KPIs with attributes in the host's registry: their own meters, attributes as tags, totals as before. */
class GraceMetricsSeriesTest {

    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.MILLISECONDS).lowerIsBetter()
            .attribute("connector").attribute("region", "eu", "us").maxSeries(2).build();
    static final Kpi ACCURACY = Kpi.builder("accuracy", Kpi.Unit.RATIO).attribute("model").attribute("kpi").build();

    static final class Federation implements DomainPlugin {
        volatile MetricPublisher publisher;

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("federation").domain("federation").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(LATENCY, ACCURACY);
        }

        @Override
        public void start(PluginContext context) {
            publisher = context.publisher();
        }
    }

    @Test
    void eachSeriesOfTheCurrentHourHasItsOwnMetersWithItsAttributesAsTags() {
        Federation federation = new Federation();
        try (PluginHarness h = PluginHarness.forPlugin(federation).start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new GraceMetrics(h.runtime(), Duration.ZERO).bindTo(registry);
            MetricPublisher p = federation.publisher;
            p.series(LATENCY, "connector", "billing", "region", "eu").record(100);
            p.series(LATENCY, "connector", "billing", "region", "eu").record(300);
            p.series(LATENCY, "connector", "crm").record(200);
            p.series(LATENCY, "connector", "erp").record(500); // past the bound of 2: the overflow series
            p.series(ACCURACY, "model", "v2", "kpi", "top1").record(0.9);
            p.record(LATENCY, 700);

            registry.get("grace.kpi.hour.mean").tags("kpi", "latency").gauge().value(); // a reading registers them
            HourlyRollup total = h.runtime().rollups().hour("federation", "latency",
                    h.runtime().rollups().currentHour()).orElseThrow();
            assertThat(registry.get("grace.kpi.hour.mean").tags("domain", "federation", "kpi", "latency").gauge().value())
                    .as("the total, as before").isEqualTo(total.mean()).isEqualTo(360);
            assertThat(count(registry, "connector", "billing", "region", "eu")).isEqualTo(2);
            assertThat(registry.get("grace.kpi.series.hour.mean").tags("connector", "billing").gauge().value()).isEqualTo(200);
            assertThat(registry.get("grace.kpi.series.hour.percentile").tags("connector", "billing", "phi", "0.99")
                    .gauge().value()).isBetween(297.0, 303.0);
            assertThat(count(registry, "connector", "crm", "region", "")).isEqualTo(1);
            assertThat(count(registry, "grace.series.overflow", "true")).isEqualTo(1);
            assertThat(count(registry, "model", "v2", "exported_kpi", "top1")).as("a key named kpi is renamed").isEqualTo(1);
            List<Meter.Id> latency = registry.find("grace.kpi.series.hour.count").tag("kpi", "latency").meters()
                    .stream().map(Meter::getId).toList();
            assertThat(latency).as("maxSeries = 2 and the overflow").hasSize(3);
            assertThat(latency).allSatisfy(id -> assertThat(id.getTags()).extracting(t -> t.getKey())
                    .containsExactly("connector", "domain", "exported_kpi", "grace.series.overflow", "kpi", "model", "region"));

            h.advance(Duration.ofHours(1));
            assertThat(count(registry, "connector", "billing", "region", "eu")).as("a new hour, no value yet").isZero();
            assertThat(registry.get("grace.kpi.series.hour.mean").tags("connector", "billing").gauge().value()).isNaN();
        }
    }

    @Test
    void thePrometheusRegistryShowsEverySeriesFromTheNextScrape() {
        Federation federation = new Federation();
        try (PluginHarness h = PluginHarness.forPlugin(federation).start()) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new GraceMetrics(h.runtime(), Duration.ZERO).bindTo(registry);
            federation.publisher.series(LATENCY, "connector", "billing", "region", "eu").record(250);
            federation.publisher.series(ACCURACY, "model", "v2").record(0.5);
            federation.publisher.series(LATENCY, "connector", "a").record(1);
            federation.publisher.series(LATENCY, "connector", "b").record(2);

            registry.scrape();
            String scrape = registry.scrape();

            assertThat(scrape)
                    .contains("grace_kpi_hour_mean_ms{domain=\"federation\",kpi=\"latency\"} 84.33333333333333")
                    .contains("grace_kpi_series_hour_mean_ms{connector=\"billing\",domain=\"federation\","
                            + "exported_kpi=\"\",grace_series_overflow=\"\",kpi=\"latency\",model=\"\",region=\"eu\"} 250.0")
                    .contains("grace_kpi_series_hour_count{connector=\"\",domain=\"federation\",exported_kpi=\"\","
                            + "grace_series_overflow=\"\",kpi=\"accuracy\",model=\"v2\",region=\"\"} 1.0")
                    .contains("grace_kpi_series_hour_count{connector=\"\",domain=\"federation\",exported_kpi=\"\","
                            + "grace_series_overflow=\"true\",kpi=\"latency\",model=\"\",region=\"\"} 1.0");
        }
    }

    private static double count(SimpleMeterRegistry registry, String... tags) {
        return registry.get("grace.kpi.series.hour.count").tags(tags).gauge().value();
    }
}
