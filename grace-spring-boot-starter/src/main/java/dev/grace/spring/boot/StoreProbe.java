package dev.grace.spring.boot;

import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.extension.ExtensionContext;
import dev.grace.runtime.extension.RuntimeExtension;
import dev.grace.runtime.extension.StoreService;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An extension that keeps the runtime's context and, when a store is attached, checks once a
 * second on a thread of its own whether the store answers. The health indicator reads the latest
 * check, so a request thread never waits on the database (a check of an unreachable database waits
 * for the pool's connection timeout); and the starter needs no dependency on {@code grace-store}.
 */
final class StoreProbe implements RuntimeExtension {

    /** One check of the store. */
    record Check(StoreService store, boolean reachable, Optional<Instant> stuckSince) {
    }

    private volatile ExtensionContext context;
    private volatile Check last;
    private ScheduledExecutorService checks;

    @Override
    public String name() {
        return "spring-health";
    }

    @Override
    public void start(ExtensionContext context) {
        this.context = context;
    }

    /** The first check on the starting thread, so readiness is known once the context is up; then once a second. */
    @Override
    public synchronized void pluginsStarted(List<PluginStatus> plugins) {
        check();
        checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grace-spring-store-check");
            t.setDaemon(true);
            return t;
        });
        checks.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private void check() {
        ExtensionContext c = context;
        Optional<StoreService> store = c == null ? Optional.empty() : c.service(StoreService.class);
        last = store.map(s -> new Check(s, s.reachable(), s.stuckSince())).orElse(null);
    }

    /** The latest check; empty without a store, before the first check and after the close. */
    Optional<Check> store() {
        return Optional.ofNullable(last);
    }

    /** Whether a store is attached, checked or not. */
    boolean storeAttached() {
        ExtensionContext c = context;
        return c != null && c.service(StoreService.class).isPresent();
    }

    @Override
    public synchronized void stopping() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }

    @Override
    public void close() {
        stopping();
        context = null;
        last = null;
    }
}
