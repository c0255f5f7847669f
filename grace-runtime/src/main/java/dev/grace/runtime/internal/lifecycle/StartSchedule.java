package dev.grace.runtime.internal.lifecycle;

import dev.grace.runtime.PluginState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts plugins as a dependency-aware parallel schedule: a plugin's start is begun as soon as
 * every plugin it requires has finished its own (RUNNING or not), so independent plugins start at
 * the same time and a start that hangs holds up only its dependants, by at most the start timeout.
 * The action decides what a finished dependency means (a dependency that is not RUNNING refuses its
 * dependant); it runs on a thread of this schedule, which waits on the plugin's own lifecycle thread.
 */
public final class StartSchedule {

    private final List<ManagedPlugin> order;

    /** @param order the accepted plugins, dependencies before dependants */
    public StartSchedule(List<ManagedPlugin> order) {
        this.order = List.copyOf(order);
    }

    /**
     * Runs {@code start} for every plugin still DISCOVERED, each after the starts of its
     * dependencies, and returns when all of them have run.
     */
    public void run(Consumer<ManagedPlugin> start) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "grace-start-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, CompletableFuture<Void>> done = new HashMap<>();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (ManagedPlugin p : order) { // dependencies first, so theirs are already in done
                List<CompletableFuture<Void>> deps = new ArrayList<>();
                for (String dep : p.info().requires().keySet()) {
                    CompletableFuture<Void> d = done.get(dep);
                    if (d != null) {
                        deps.add(d);
                    }
                }
                CompletableFuture<Void> started = CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
                        .thenRunAsync(() -> {
                            if (p.state() == PluginState.DISCOVERED) {
                                start.accept(p);
                            }
                        }, threads);
                done.put(p.info().id(), started);
                all.add(started);
            }
            // A start that threw past its own handling (a bug in the runtime) surfaces here, after
            // the others have finished, as it would have from the sequential loop.
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
    }
}
