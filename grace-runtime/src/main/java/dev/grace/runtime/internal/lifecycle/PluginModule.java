package dev.grace.runtime.internal.lifecycle;

import com.google.inject.AbstractModule;
import com.google.inject.name.Names;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginConfig;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a plugin may inject: its own publisher, context, config, info and scheduler, and the
 * runtime's clock. Bound in a child injector per plugin, so no plugin can reach another's publisher.
 */
final class PluginModule extends AbstractModule {

    private final PluginContext context;

    PluginModule(PluginContext context) {
        this.context = context;
    }

    @Override
    protected void configure() {
        bind(PluginContext.class).toInstance(context);
        bind(MetricPublisher.class).toInstance(context.publisher());
        bind(PluginConfig.class).toInstance(context.config());
        bind(PluginInfo.class).toInstance(context.info());
        bind(Clock.class).toInstance(context.clock());
        bind(dev.grace.api.RuntimeView.class).toInstance(context.runtime());
        bind(dev.grace.api.RuntimeActions.class).toInstance(context.actions());
        bind(ScheduledExecutorService.class).toInstance(context.scheduler());
        bind(Path.class).annotatedWith(Names.named("grace.dataDirectory")).toProvider(context::dataDirectory);
    }
}
