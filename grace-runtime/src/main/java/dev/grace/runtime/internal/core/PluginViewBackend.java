package dev.grace.runtime.internal.core;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.internal.lifecycle.ManagedPlugin;
import dev.grace.runtime.internal.view.LiveView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What plugins see of this runtime, read without this runtime's lock. */
final class PluginViewBackend implements LiveView.Backend {

    private final RuntimeState state;

    PluginViewBackend(RuntimeState state) {
        this.state = state;
    }

    @Override
    public List<PluginStatus> plugins() {
        return state.plugins();
    }

    @Override
    public Map<String, Long> stateSince() {
        Map<String, Long> since = new HashMap<>();
        for (ManagedPlugin p : state.managedPlugins()) {
            since.put(p.id(), p.stateSince());
        }
        return since;
    }

    @Override
    public PublishStats stats() {
        return state.stats();
    }

    @Override
    public List<HourlyRollup> memoryRollups() {
        return state.registry().rollups();
    }

    @Override
    public long currentHourStart() {
        return state.registry().currentHourStart();
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        return state.extensions().service(type);
    }

    @Override
    public boolean quarantine(String caller, String pluginId, String reason) {
        return state.quarantineFor(caller, pluginId, reason);
    }
}
