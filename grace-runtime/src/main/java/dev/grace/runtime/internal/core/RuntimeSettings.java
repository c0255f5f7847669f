package dev.grace.runtime.internal.core;

import dev.grace.api.DomainPlugin;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.RejectionListener;
import dev.grace.runtime.RuntimeEvents;
import dev.grace.runtime.SchedulerFactory;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.extension.RuntimeExtension;
import java.time.Clock;
import java.util.List;

/** What a host set on {@code GraceRuntime.Builder}, as the runtime's parts read it. */
public record RuntimeSettings(GraceConfig config, Clock clock, boolean discoverClasspath, ClassLoader classLoader,
                              List<DomainPlugin> plugins, RawEventSink rawEventSink, RejectionListener rejectionListener,
                              SchedulerFactory schedulers, RuntimeEvents events, boolean superviseAutomatically,
                              List<RuntimeExtension> extensions, boolean discoverExtensions,
                              List<AlertChannel> alertChannels, boolean evaluateAutomatically) {

    public RuntimeSettings {
        plugins = List.copyOf(plugins);
        extensions = List.copyOf(extensions);
        alertChannels = List.copyOf(alertChannels);
    }
}
