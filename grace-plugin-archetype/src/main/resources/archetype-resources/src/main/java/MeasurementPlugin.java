package ${package};

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Grace plugin: declares its KPIs (the catalogue), and on its own scheduler measures the JVM's heap
 * and publishes what it measured. Replace the measurement with yours; keep the shape.
 *
 * <p>Config ({@code plugins.${pluginId}.*}): {@code interval} (default {@code 10s}).
 */
public final class MeasurementPlugin implements DomainPlugin {

    static final Kpi HEAP_USED = Kpi.builder("heap_used", Kpi.Unit.BYTES)
            .description("Heap in use when measured").build();
    static final Kpi HEAP_USED_SHARE = Kpi.builder("heap_used_share", Kpi.Unit.RATIO).lowerIsBetter().target(0.8)
            .healthBearing().description("Heap in use as a share of the most the JVM may use").build();

    private static final Logger LOG = LoggerFactory.getLogger(MeasurementPlugin.class);

    private MetricPublisher publisher;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("${pluginId}").domain("${domain}").version("${version}")
                .description("Measures the JVM's heap").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(HEAP_USED, HEAP_USED_SHARE);
    }

    @Override
    public void start(PluginContext context) {
        Duration interval = context.config().duration("interval", Duration.ofSeconds(10));
        publisher = context.publisher();
        context.scheduler().scheduleWithFixedDelay(this::measure, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("measuring every {}", interval);
    }

    /** One measurement, published. Package-private for tests. */
    void measure() {
        Runtime jvm = Runtime.getRuntime();
        long used = jvm.totalMemory() - jvm.freeMemory();
        publisher.record(HEAP_USED, used);
        publisher.record(HEAP_USED_SHARE, (double) used / jvm.maxMemory());
        LOG.debug("heap used: {} bytes", used);
    }
}
