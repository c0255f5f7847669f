package host;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import java.util.List;

/** A host's own plugin: it hands its publisher to the host, which records checkout latencies. */
public final class CheckoutPlugin implements DomainPlugin {

    public static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter().range(0, 60).build();

    private volatile PluginContext context;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("checkout").domain("shop").version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LATENCY);
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }

    public MetricPublisher publisher() {
        return context.publisher();
    }
}
