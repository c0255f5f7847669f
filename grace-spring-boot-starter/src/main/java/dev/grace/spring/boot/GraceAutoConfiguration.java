package dev.grace.spring.boot;

import dev.grace.api.DomainPlugin;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A {@link GraceRuntime} for a Spring Boot application: configured from the {@code grace.*}
 * properties (the keys of {@code grace.yaml}), with the plugins found by {@code ServiceLoader} and
 * every {@link DomainPlugin} bean, started and closed with the context, its meters in the
 * application's {@link MeterRegistry} and, with Actuator, its readiness in {@code /actuator/health}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration")
public class GraceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GraceConfig graceConfig(ConfigurableEnvironment environment) {
        return GraceProperties.load(environment);
    }

    @Bean
    StoreProbe graceStoreProbe() {
        return new StoreProbe();
    }

    // Closed by GraceLifecycle with the context; Spring must not close it a second time.
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    GraceRuntime graceRuntime(GraceConfig config, ObjectProvider<DomainPlugin> plugins, StoreProbe probe) {
        GraceRuntime.Builder builder = GraceRuntime.builder().config(config).extension(probe);
        plugins.orderedStream().forEach(builder::plugin);
        return builder.build();
    }

    @Bean
    GraceLifecycle graceLifecycle(GraceRuntime runtime, ObjectProvider<MeterRegistry> registries) {
        return new GraceLifecycle(runtime, registries);
    }

    /** Only with Actuator on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        @Bean(name = "graceHealthIndicator")
        @ConditionalOnMissingBean(name = "graceHealthIndicator")
        HealthIndicator graceHealthIndicator(GraceRuntime runtime, StoreProbe probe) {
            return new GraceHealthIndicator(runtime, probe);
        }
    }
}
