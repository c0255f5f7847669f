package dev.grace.opentelemetry;

import dev.grace.runtime.HourlyRollup;
import dev.grace.testkit.PluginHarness;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class OtlpExportTest {

    @Test
    void theRealOtlpExporterSendsGracesRollupsWithTheirNamesUnitsAndAttributes() throws Exception {
        ShopPlugin shop = new ShopPlugin();
        try (PluginHarness h = PluginHarness.forPlugin(shop).start();
             OtlpReceiver receiver = new OtlpReceiver()) {
            // a reader that exports only when flushed: the test decides when a collection happens
            SdkMeterProvider provider = SdkMeterProvider.builder()
                    .registerMetricReader(PeriodicMetricReader.builder(
                                    OtlpHttpMetricExporter.builder().setEndpoint(receiver.endpoint()).build())
                            .setInterval(Duration.ofHours(1)).build())
                    .build();
            GraceTelemetry telemetry = GraceTelemetry.register(h.runtime(), provider);
            for (int i = 1; i <= 200; i++) {
                shop.publisher.record(ShopPlugin.LATENCY, i / 100.0);
            }
            shop.publisher.record(ShopPlugin.CART, 2048);
            shop.publisher.record(ShopPlugin.LATENCY, Double.NaN);

            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            Map<String, Metric> metrics = metrics(receiver.next(Duration.ofSeconds(10)));

            HourlyRollup latency = h.currentHour("latency").orElseThrow();
            Metric mean = metrics.get("grace.shop.latency.hour.mean");
            assertThat(mean.getUnit()).isEqualTo("s");
            NumberDataPoint meanPoint = mean.getGauge().getDataPoints(0);
            assertThat(meanPoint.getAsDouble()).isEqualTo(latency.mean());
            assertThat(attributes(meanPoint)).containsEntry("grace.domain", "shop").containsEntry("grace.kpi", "latency");

            Metric quantile = metrics.get("grace.shop.latency.hour.quantile");
            assertThat(quantile.getUnit()).isEqualTo("s");
            assertThat(quantile.getGauge().getDataPointsList()).hasSize(3).allSatisfy(p -> {
                double q = Double.parseDouble(attributes(p).get("grace.quantile"));
                assertThat(p.getAsDouble()).isEqualTo(latency.quantile(q));
            });

            Metric cart = metrics.get("grace.shop.cart_size.hour.mean");
            assertThat(cart.getUnit()).isEqualTo("By");
            assertThat(cart.getGauge().getDataPoints(0).getAsDouble()).isEqualTo(2048.0);

            Metric accepted = metrics.get("grace.kpi.accepted");
            assertThat(accepted.getUnit()).isEqualTo("{value}");
            assertThat(accepted.getSum().getIsMonotonic()).isTrue();
            assertThat(accepted.getSum().getDataPointsList())
                    .anySatisfy(p -> {
                        assertThat(attributes(p)).containsEntry("grace.kpi", "latency");
                        assertThat(p.getAsInt()).isEqualTo(h.runtime().rollups().acceptedCount("shop", "latency")).isEqualTo(200);
                    });
            assertThat(metrics.get("grace.values.rejected").getSum().getDataPointsList())
                    .anySatisfy(p -> {
                        assertThat(attributes(p)).containsEntry("grace.reject.reason", "NOT_A_NUMBER");
                        assertThat(p.getAsInt()).isEqualTo(1);
                    });
            assertThat(metrics.get("grace.values.accepted").getSum().getDataPoints(0).getAsInt()).isEqualTo(201);
            assertThat(metrics).doesNotContainKey("grace.domain.health"); // no cognition: no score, not a 0

            // a new hour without values: its gauges are not observed, the counter keeps counting
            h.advance(Duration.ofHours(1));
            shop.publisher.record(ShopPlugin.CART, 512);
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            Map<String, Metric> next = metrics(receiver.next(Duration.ofSeconds(10)));
            assertThat(next).doesNotContainKey("grace.shop.latency.hour.mean");
            assertThat(next.get("grace.shop.cart_size.hour.mean").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(512.0);

            telemetry.close();
            provider.close();
        }
    }

    @Test
    void seriesAreExportedAsPointsOfTheirKpisMetricsWithTheirAttributesBesideTheTotal() throws Exception {
        ShopPlugin shop = new ShopPlugin();
        try (PluginHarness h = PluginHarness.forPlugin(shop).start();
             OtlpReceiver receiver = new OtlpReceiver()) {
            SdkMeterProvider provider = SdkMeterProvider.builder()
                    .registerMetricReader(PeriodicMetricReader.builder(
                                    OtlpHttpMetricExporter.builder().setEndpoint(receiver.endpoint()).build())
                            .setInterval(Duration.ofHours(1)).build())
                    .build();
            GraceTelemetry telemetry = GraceTelemetry.register(h.runtime(), provider);
            shop.publisher.series(ShopPlugin.PAYMENT, "provider", "card", "region", "eu").record(100);
            shop.publisher.series(ShopPlugin.PAYMENT, "provider", "card", "region", "eu").record(300);
            shop.publisher.series(ShopPlugin.PAYMENT, "provider", "invoice").record(200);
            shop.publisher.series(ShopPlugin.PAYMENT, "provider", "crypto").record(900); // past 2: overflow
            shop.publisher.record(ShopPlugin.PAYMENT, 500);

            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            Map<String, Metric> metrics = metrics(receiver.next(Duration.ofSeconds(10)));

            Metric mean = metrics.get("grace.shop.payment.hour.mean");
            assertThat(mean.getUnit()).isEqualTo("ms");
            Map<Map<String, String>, Double> means = points(mean);
            assertThat(means).containsOnlyKeys(
                    Map.of("grace.domain", "shop", "grace.kpi", "payment"),
                    Map.of("grace.domain", "shop", "grace.kpi", "payment", "provider", "card", "region", "eu"),
                    Map.of("grace.domain", "shop", "grace.kpi", "payment", "provider", "invoice"),
                    Map.of("grace.domain", "shop", "grace.kpi", "payment", "grace.series.overflow", "true"));
            assertThat(means.get(Map.of("grace.domain", "shop", "grace.kpi", "payment"))).as("the total, as before")
                    .isEqualTo(400.0);
            assertThat(means.get(Map.of("grace.domain", "shop", "grace.kpi", "payment", "provider", "card", "region",
                    "eu"))).isEqualTo(200.0);
            Map<Map<String, String>, Double> counts = points(metrics.get("grace.shop.payment.hour.count"));
            assertThat(counts.get(Map.of("grace.domain", "shop", "grace.kpi", "payment"))).isEqualTo(5);
            assertThat(counts.get(Map.of("grace.domain", "shop", "grace.kpi", "payment", "grace.series.overflow", "true")))
                    .as("the overflow count").isEqualTo(1);
            assertThat(metrics.get("grace.shop.payment.hour.quantile").getGauge().getDataPointsList())
                    .as("3 quantiles of the total, 2 series and the overflow").hasSize(12);
            assertThat(points(metrics.get("grace.shop.payment.hour.quantile")))
                    .hasEntrySatisfying(Map.of("grace.domain", "shop", "grace.kpi", "payment", "provider", "card",
                            "region", "eu", "grace.quantile", "0.99"), v -> assertThat(v).isBetween(297.0, 303.0));
            assertThat(metrics).as("a KPI without attributes has no count").doesNotContainKey("grace.shop.latency.hour.count");

            telemetry.close();
            provider.close();
        }
    }

    /** Every point's value by its attributes (as strings). */
    private static Map<Map<String, String>, Double> points(Metric m) {
        return m.getGauge().getDataPointsList().stream().collect(Collectors.toMap(OtlpExportTest::attributes,
                p -> p.hasAsDouble() ? p.getAsDouble() : (double) p.getAsInt()));
    }

    private static Map<String, Metric> metrics(ExportMetricsServiceRequest request) {
        List<ScopeMetrics> scopes = request.getResourceMetricsList().stream()
                .flatMap(r -> r.getScopeMetricsList().stream())
                .filter(s -> s.getScope().getName().equals(GraceTelemetry.SCOPE)).toList();
        assertThat(scopes).hasSize(1);
        return scopes.get(0).getMetricsList().stream().collect(Collectors.toMap(Metric::getName, m -> m));
    }

    private static Map<String, String> attributes(NumberDataPoint p) {
        return p.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().hasDoubleValue()
                ? Double.toString(kv.getValue().getDoubleValue()) : kv.getValue().hasBoolValue()
                ? Boolean.toString(kv.getValue().getBoolValue()) : kv.getValue().getStringValue()));
    }
}
