package dev.grace.opentelemetry;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.util.List;

/** A plugin the test publishes through by hand: two KPIs of the domain {@code shop}, in different units. */
final class ShopPlugin implements DomainPlugin {

    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter().range(0, 60).build();
    static final Kpi CART = Kpi.builder("cart_size", Kpi.Unit.BYTES).build();
    /** A KPI with attributes: a series per payment provider (and region), at most two. */
    static final Kpi PAYMENT = Kpi.builder("payment", Kpi.Unit.MILLISECONDS).lowerIsBetter().attribute("provider")
            .attribute("region", "eu", "us").maxSeries(2).build();

    volatile MetricPublisher publisher;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("shop").domain("shop").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LATENCY, CART, PAYMENT);
    }

    @Override
    public void start(PluginContext context) {
        publisher = context.publisher();
    }
}
