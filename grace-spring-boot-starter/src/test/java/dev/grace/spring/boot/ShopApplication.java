package dev.grace.spring.boot;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import java.util.List;

/** A small real application: Spring MVC, Actuator, Prometheus, and a plugin declared as a bean. */
@SpringBootApplication
public class ShopApplication {

    static final Kpi ORDERS = Kpi.builder("orders", Kpi.Unit.COUNT).build();
    /** A KPI with attributes: one series per sales channel. */
    static final Kpi BASKET = Kpi.builder("basket", Kpi.Unit.COUNT).attribute("channel").build();

    @Bean
    ShopPlugin shopPlugin() {
        return new ShopPlugin();
    }

    /** A plugin bean: publishes when the test asks. */
    static final class ShopPlugin implements DomainPlugin {
        volatile MetricPublisher publisher;

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("shop").domain("shop").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(ORDERS, BASKET);
        }

        @Override
        public void start(PluginContext context) {
            publisher = context.publisher();
        }
    }
}
