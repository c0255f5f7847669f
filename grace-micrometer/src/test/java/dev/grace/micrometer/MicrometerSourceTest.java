package dev.grace.micrometer;

import dev.grace.api.Kpi;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MicrometerSourceTest {

    private static final Duration STEP = Duration.ofSeconds(10);
    private static final Kpi PAY_MEAN = Kpi.builder("pay_latency", Kpi.Unit.SECONDS).lowerIsBetter().build();
    private static final Kpi PAY_MAX = Kpi.builder("pay_latency_max", Kpi.Unit.MILLISECONDS).lowerIsBetter().build();
    private static final Kpi PAY_COUNT = Kpi.builder("pay_requests", Kpi.Unit.COUNT).build();
    private static final Kpi PAY_TIME = Kpi.builder("pay_time", Kpi.Unit.SECONDS).build();

    @Test
    void timerDeltasPerStepBecomeTheKpisValuesAndHistoryBeforeTheFirstStepIsLeftOut() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Timer pay = Timer.builder("http.server.requests").tag("uri", "/pay").tag("status", "200").register(registry);
        Timer other = Timer.builder("http.server.requests").tag("uri", "/other").tag("status", "200").register(registry);
        pay.record(Duration.ofMillis(50)); // before the source: a baseline, not a value
        MicrometerSource source = MicrometerSource.builder("web-meters", "web", registry).every(STEP)
                .map(PAY_MEAN, "http.server.requests", Reading.MEAN, "uri", "/pay")
                .map(PAY_MAX, "http.server.requests", Reading.MAX, "uri", "/pay")
                .map(PAY_COUNT, "http.server.requests", Reading.COUNT, "uri", "/pay")
                .map(PAY_TIME, "http.server.requests", Reading.TOTAL, "uri", "/pay")
                .build();

        try (PluginHarness h = PluginHarness.forPlugin(source).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            h.advance(STEP); // first step: baseline only
            assertThat(h.values("pay_requests")).containsExactly(0.0);

            pay.record(Duration.ofMillis(100));
            pay.record(Duration.ofMillis(200));
            pay.record(Duration.ofMillis(300));
            other.record(Duration.ofSeconds(5)); // another uri: not matched
            h.advance(STEP);
            pay.record(Duration.ofMillis(500));
            h.advance(STEP);
            h.advance(STEP); // a step without requests: a count of 0, no mean, no max

            assertThat(h.values("pay_requests")).containsExactly(0.0, 3.0, 1.0, 0.0);
            assertThat(h.values("pay_latency")).hasSize(2);
            assertThat(h.values("pay_latency").get(0)).isCloseTo(0.2, within(1e-9));
            assertThat(h.values("pay_latency").get(1)).isCloseTo(0.5, within(1e-9));
            assertThat(h.values("pay_time").get(1)).isCloseTo(0.6, within(1e-9));
            assertThat(h.values("pay_latency_max")).containsExactly(300.0, 500.0);

            HourlyRollup mean = h.currentHour("pay_latency").orElseThrow();
            assertThat(mean.count()).isEqualTo(2);
            assertThat(mean.mean()).isCloseTo(0.35, within(1e-9));
            HourlyRollup count = h.currentHour("pay_requests").orElseThrow();
            assertThat(count.sum()).isEqualTo(4.0); // the requests of the hour, step by step
            assertThat(h.rejected()).isEmpty();
        }
    }

    @Test
    void meterRegisteredAfterTheFirstStepCountsFromZeroAndGaugesGiveOneValueEach() {
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong queueA = new AtomicLong(4);
        AtomicLong queueB = new AtomicLong(6);
        registry.gauge("jobs.queued", io.micrometer.core.instrument.Tags.of("queue", "a"), queueA);
        Kpi queued = Kpi.builder("jobs_queued", Kpi.Unit.COUNT).lowerIsBetter().build();
        Kpi failures = Kpi.builder("job_failures", Kpi.Unit.COUNT).lowerIsBetter().build();
        MicrometerSource source = MicrometerSource.builder("job-meters", "jobs", registry).every(STEP)
                .map(queued, "jobs.queued", Reading.VALUE)
                .map(failures, "jobs.failed", Reading.COUNT)
                .build();

        try (PluginHarness h = PluginHarness.forPlugin(source).start()) {
            h.advance(STEP);
            assertThat(h.values("jobs_queued")).containsExactly(4.0);
            assertThat(h.values("job_failures")).isEmpty(); // no meter yet: nothing to say

            registry.gauge("jobs.queued", io.micrometer.core.instrument.Tags.of("queue", "b"), queueB);
            Counter failed = registry.counter("jobs.failed");
            failed.increment(2); // all after the previous step
            h.advance(STEP);
            assertThat(h.values("jobs_queued")).containsExactly(4.0, 4.0, 6.0);
            assertThat(h.values("job_failures")).containsExactly(2.0);
            assertThat(h.currentHour("jobs_queued").orElseThrow().max()).isEqualTo(6.0);
        }
    }

    @Test
    void prometheusRegistrysSummaryFeedsTheRollupAndAGaugeReadForAMeanIsSkippedAndCounted() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DistributionSummary payload = DistributionSummary.builder("upload.size").baseUnit("bytes")
                .publishPercentiles(0.95).register(registry);
        registry.gauge("upload.workers", new AtomicLong(3));
        Kpi size = Kpi.builder("upload_bytes", Kpi.Unit.BYTES).build();
        Kpi workers = Kpi.builder("upload_workers", Kpi.Unit.COUNT).build();
        MicrometerSource source = MicrometerSource.builder("upload-meters", "uploads", registry).every(STEP)
                .map(size, "upload.size", Reading.MEAN)
                .map(workers, "upload.workers", Reading.MEAN)
                .build();

        try (PluginHarness h = PluginHarness.forPlugin(source).start()) {
            h.advance(STEP);
            double[][] steps = {{1000, 3000}, {500}, {4000, 4000, 1000}};
            for (double[] step : steps) {
                for (double v : step) {
                    payload.record(v);
                }
                h.advance(STEP);
            }
            HourlyRollup rollup = h.currentHour("upload_bytes").orElseThrow();
            assertThat(h.values("upload_bytes")).containsExactly(2000.0, 500.0, 3000.0);
            assertThat(rollup.count()).isEqualTo(3);
            assertThat(rollup.min()).isEqualTo(500.0);
            assertThat(rollup.max()).isEqualTo(3000.0);
            assertThat(rollup.mean()).isCloseTo(5500.0 / 3, within(1e-9));
            // what the registry scrapes is the same stream of events
            assertThat(registry.scrape()).contains("upload_size_bytes_count 6").contains("upload_size_bytes_sum 13500.0");
            assertThat(h.values("upload_workers")).isEmpty();
            assertThat(source.skipped()).isEqualTo(4);
        }
    }

    @Test
    void aStepBeforeTheRuntimeStartedItAndBadMappingsFailWithTheirReason() {
        MeterRegistry registry = new SimpleMeterRegistry();
        MicrometerSource source = MicrometerSource.builder("m", "d", registry).map(PAY_COUNT, "x", Reading.COUNT).build();
        assertThatThrownBy(source::step).hasMessageContaining("MicrometerSource m is not running");
        assertThatThrownBy(() -> MicrometerSource.builder("m", "d", registry).map(PAY_COUNT, "x", Reading.COUNT, "uri"))
                .hasMessageContaining("tags of the mapping to KPI pay_requests must come in key, value pairs");
        assertThatThrownBy(() -> MicrometerSource.builder("m", "d", registry).build())
                .hasMessageContaining("maps no meter");
    }
}
