package dev.grace.benchmarks;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.micrometer.MicrometerSource;
import dev.grace.micrometer.Reading;
import dev.grace.opentelemetry.GraceTelemetry;
import dev.grace.runtime.GraceRuntime;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bridges' periodic costs: one step of {@link MicrometerSource} over 1,000 host timers (1,000
 * mappings, each reading one timer's count delta and recording it), and one OpenTelemetry
 * collection of {@link GraceTelemetry} with 1,000 KPIs (the batch callback plus the SDK's
 * aggregation into {@code MetricData}; no exporter serialisation).
 *
 * <pre>{@code
 * java -jar grace-benchmarks/target/benchmarks.jar BridgeBenchmark -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BridgeBenchmark {

    static final int METERS = 1_000;
    static final int KPIS = 1_000;

    /** A plugin declaring {@code n} KPIs, started by the runtime. */
    static final class ManyKpis implements DomainPlugin {
        final List<Kpi> kpis = new ArrayList<>();
        volatile MetricPublisher publisher;

        ManyKpis(int n) {
            for (int i = 0; i < n; i++) {
                kpis.add(Kpi.builder("kpi_" + i, Kpi.Unit.SECONDS).build());
            }
        }

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("many-kpis").domain("bench").build();
        }

        @Override
        public List<Kpi> kpis() {
            return kpis;
        }

        @Override
        public void start(PluginContext context) {
            publisher = context.publisher();
        }
    }

    private static GraceRuntime runtime(DomainPlugin plugin) throws Exception {
        return GraceRuntime.builder().discoverClasspath(false).discoverExtensions(false)
                .config(dev.grace.runtime.config.ConfigLoader.create()
                        .override("benchmark", "dataDir", Files.createTempDirectory("grace-bridge-bench-").toString())
                        .load())
                .plugin(plugin).build().start();
    }

    @State(Scope.Benchmark)
    public static class MicrometerStep {
        GraceRuntime grace;
        MicrometerSource source;
        Timer[] timers = new Timer[METERS];

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MicrometerSource.Builder b = MicrometerSource.builder("host-meters", "host", registry).every(Duration.ofHours(1));
            for (int i = 0; i < METERS; i++) {
                timers[i] = Timer.builder("http.server.requests").tag("uri", "/r" + i).register(registry);
                b.map(Kpi.builder("requests_" + i, Kpi.Unit.COUNT).build(), "http.server.requests", Reading.COUNT, "uri", "/r" + i);
            }
            source = b.build();
            grace = runtime(source);
            source.step(); // the baseline, and the meters resolved
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            grace.close();
        }
    }

    @State(Scope.Benchmark)
    public static class OtelCollection {
        GraceRuntime grace;
        PullOnlyMetricReader reader;
        SdkMeterProvider provider;
        GraceTelemetry telemetry;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            ManyKpis plugin = new ManyKpis(KPIS);
            grace = runtime(plugin);
            for (Kpi k : plugin.kpis) {
                for (int v = 1; v <= 10; v++) {
                    plugin.publisher.record(k, v / 10.0);
                }
            }
            reader = new PullOnlyMetricReader();
            provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
            telemetry = GraceTelemetry.register(grace, provider);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            telemetry.close();
            provider.close();
            grace.close();
        }
    }

    @Benchmark
    public int micrometerSourceStep1000Meters(MicrometerStep s) {
        return s.source.step();
    }

    @Benchmark
    public Collection<MetricData> otelCollection1000Kpis(OtelCollection s) {
        return s.reader.collect();
    }
}
