package dev.grace.runtime.internal.lifecycle;

import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginConfig;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What one plugin receives: its publisher, config, the runtime's clock, its scheduler and its directory. */
record DefaultPluginContext(PluginInfo info, MetricPublisher publisher, PluginConfig config, Clock clock,
                            ScheduledExecutorService scheduler, Path dataRoot, dev.grace.api.RuntimeView runtime,
                            dev.grace.api.RuntimeActions actions) implements PluginContext {

    @Override
    public Path dataDirectory() {
        Path dir = dataRoot.resolve("plugins").resolve(info.id());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory of plugin " + info.id() + ": " + dir, e);
        }
    }

    @Override
    public String loggerName() {
        return "grace.plugin." + info.id();
    }
}
