package dev.grace.runtime.extension;

import dev.grace.runtime.PluginStatus;
import java.util.List;

/**
 * Something a host attaches to the runtime beside plugins: the store, cognition and the admin
 * server are extensions, and so is anything a host writes to see hour states, raw events or the
 * runtime's state. Extensions are found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.grace.runtime.extension.RuntimeExtension} entry) and added with
 * {@code GraceRuntime.Builder.extension}; one given to the builder replaces a discovered one of the
 * same {@link #name()}.
 *
 * <p>The runtime calls an extension, always from the thread that calls {@code start()} or
 * {@code close()}:
 * <ol>
 *   <li>{@link #start} after plugins are discovered and before any starts, in {@link #requires()}
 *       order: the place to register raw-event sinks and runtime-event listeners, open resources
 *       and {@linkplain ExtensionContext#provide provide} services;</li>
 *   <li>{@link #pluginsStarted} once every plugin has started or failed;</li>
 *   <li>{@link #stopping()} first thing in {@code close()}, in reverse order, while plugins still
 *       run: stop serving requests and background work that reads the runtime;</li>
 *   <li>{@link #close()} last, in reverse order, after every plugin has stopped, every hour has
 *       closed and every raw event has been delivered: the final hour states are there to write.</li>
 * </ol>
 * An extension whose {@code start} throws stops the runtime's start: what started is closed and the
 * exception (with its one-line message) reaches the host. Exceptions from the other calls are logged
 * and do not keep the others from running.
 */
public interface RuntimeExtension {

    /** A short, unique name for logs, errors and {@link #requires()}: {@code store}, {@code cognition}, {@code admin}. */
    String name();

    /** The names of extensions that must start before this one (and close after it); a missing one is an error at start. */
    default List<String> requires() {
        return List.of();
    }

    /** Attaches to the runtime; see the class comment for what may be done here. */
    void start(ExtensionContext context);

    /** Every plugin has started or failed; {@code plugins} says which, with causes. */
    default void pluginsStarted(List<PluginStatus> plugins) {
    }

    /** The runtime is closing: stop taking requests and stop background work; plugins still run. */
    default void stopping() {
    }

    /** Every plugin is stopped, every hour closed and every raw event delivered: finish and release everything. */
    default void close() {
    }
}
