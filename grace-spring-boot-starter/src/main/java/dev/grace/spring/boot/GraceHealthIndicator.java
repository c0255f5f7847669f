package dev.grace.spring.boot;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Grace's readiness: DOWN while a plugin is not running (failed, restarting, quarantined) or the
 * store does not answer or has a write stuck retrying. It is in the {@code readiness} group and not
 * in {@code liveness}: a database outage takes the instance out of traffic, it must not get the
 * process restarted. It reads the store's latest check (once a second, on a thread of its own), so it
 * never waits on the database.
 */
final class GraceHealthIndicator implements HealthIndicator {

    private final GraceRuntime runtime;
    private final StoreProbe probe;

    GraceHealthIndicator(GraceRuntime runtime, StoreProbe probe) {
        this.runtime = runtime;
        this.probe = probe;
    }

    @Override
    public Health health() {
        boolean up = true;
        Map<String, String> plugins = new LinkedHashMap<>();
        for (PluginStatus p : runtime.plugins()) {
            plugins.put(p.id(), p.state() == PluginState.FAILED && !p.cause().isEmpty()
                    ? p.state() + ": " + p.cause() : p.state().name());
            up &= p.state() == PluginState.RUNNING || p.state() == PluginState.STOPPED;
        }
        Health.Builder health = new Health.Builder().withDetail("plugins", plugins);
        Optional<StoreProbe.Check> store = probe.store();
        if (store.isPresent()) {
            StoreProbe.Check s = store.get();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("location", s.store().location());
            detail.put("reachable", s.reachable());
            s.stuckSince().ifPresent(t -> detail.put("writesFailingSince", t.toString()));
            up &= s.reachable() && s.stuckSince().isEmpty();
            health.withDetail("store", detail);
        } else if (probe.storeAttached()) {
            health.withDetail("store", "not checked yet");
            up = false;
        } else {
            health.withDetail("store", "not attached");
        }
        return (up ? health.up() : health.down()).build();
    }
}
