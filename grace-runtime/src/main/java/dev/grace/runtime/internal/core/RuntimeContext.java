package dev.grace.runtime.internal.core;

import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.Rollups;
import dev.grace.runtime.RuntimeEvents;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.extension.DomainPublishing;
import dev.grace.runtime.extension.ExtensionContext;
import dev.grace.runtime.extension.HourStates;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What extensions see of this runtime; lock-free reads. */
final class RuntimeContext implements ExtensionContext {

    private final RuntimeState state;

    RuntimeContext(RuntimeState state) {
        this.state = state;
    }

    @Override
    public GraceConfig config() {
        return state.config();
    }

    @Override
    public Clock clock() {
        return state.clock();
    }

    @Override
    public boolean running() {
        return state.running();
    }

    @Override
    public List<PluginStatus> plugins() {
        return state.plugins();
    }

    @Override
    public PublishStats stats() {
        return state.stats();
    }

    @Override
    public Map<String, Long> rejectedByDomain() {
        return state.rejectedByDomain();
    }

    @Override
    public Rollups rollups() {
        return state.rollups();
    }

    @Override
    public HourStates hours() {
        return state.registry();
    }

    @Override
    public DomainPublishing domainPublishing() {
        return state.domainPublishers();
    }

    @Override
    public List<AlertChannel> alertChannels() {
        return state.settings().alertChannels();
    }

    @Override
    public boolean evaluateAutomatically() {
        return state.settings().evaluateAutomatically();
    }

    @Override
    public boolean awaitRawEvents(Duration timeout) {
        return state.awaitRawEvents(timeout);
    }

    @Override
    public void addRawEventSink(RawEventSink sink) {
        requireStarting();
        state.extensions().addSink(Objects.requireNonNull(sink, "sink"));
    }

    @Override
    public void addRuntimeEvents(RuntimeEvents listener) {
        state.extensions().addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public <T> void provide(Class<T> type, T service) {
        state.extensions().provide(type, Objects.requireNonNull(service, "service"));
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        return state.extensions().service(type);
    }

    private void requireStarting() {
        if (state.started()) {
            throw new IllegalStateException("raw-event sinks are added in RuntimeExtension.start only");
        }
    }
}
