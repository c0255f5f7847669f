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

    private static Map<String, Metric> metrics(ExportMetricsServiceRequest request) {
        List<ScopeMetrics> scopes = request.getResourceMetricsList().stream()
                .flatMap(r -> r.getScopeMetricsList().stream())
                .filter(s -> s.getScope().getName().equals(GraceTelemetry.SCOPE)).toList();
        assertThat(scopes).hasSize(1);
        return scopes.get(0).getMetricsList().stream().collect(Collectors.toMap(Metric::getName, m -> m));
    }

    private static Map<String, String> attributes(NumberDataPoint p) {
        return p.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().hasDoubleValue()
                ? Double.toString(kv.getValue().getDoubleValue()) : kv.getValue().getStringValue()));
    }
}
