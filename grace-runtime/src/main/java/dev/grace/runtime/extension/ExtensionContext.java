package dev.grace.runtime.extension;

import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.Rollups;
import dev.grace.runtime.RuntimeEvents;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.config.GraceConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an extension gets from the runtime in {@link RuntimeExtension#start}. Every reading method
 * is cheap, never takes the runtime's lock and may be called from any thread for as long as the
 * runtime lives; the registering methods may be called only during {@code start}.
 */
public interface ExtensionContext {

    /** The configuration in force, with every extension's section ({@code store}, {@code cognition}, {@code http}). */
    GraceConfig config();

    /** The runtime's clock: read time from it, never from the system clock, so tests can control it. */
    Clock clock();

    /** Whether the runtime has started and is not closing. */
    boolean running();

    /** Every plugin found, with its state and cause. */
    List<PluginStatus> plugins();

    /** Accepted, rejected by reason and raw events dropped, per publisher. */
    PublishStats stats();

    /** Values rejected so far, per domain. */
    Map<String, Long> rejectedByDomain();

    /** The hours held in memory, merged across plugins of a domain. */
    Rollups rollups();

    /** The hour states, for an extension that persists them. */
    HourStates hours();

    /** Publishing into a domain's declared KPIs from outside a plugin, for example values posted over HTTP. */
    DomainPublishing domainPublishing();

    /** The alert channels the host gave the builder, for the extension that raises alerts. */
    List<AlertChannel> alertChannels();

    /** Whether background work runs by itself (false when a test drives a manual clock and calls it). */
    boolean evaluateAutomatically();

    /**
     * Adds a receiver of raw events, in batches on the runtime's raw-event thread. Raw events are
     * queued only when {@code publisher.rawEvents} is on and at least one sink is registered.
     */
    void addRawEventSink(RawEventSink sink);

    /**
     * Waits until every raw event accepted before this call has reached every sink; true at once when
     * raw events are off. False when that did not happen within {@code timeout}.
     */
    boolean awaitRawEvents(Duration timeout);

    /** Adds a listener of plugin refusals, restarts and quarantines. */
    void addRuntimeEvents(RuntimeEvents events);

    /** Offers {@code service} to the runtime, to plugins' runtime view and to other extensions, under {@code type}. */
    <T> void provide(Class<T> type, T service);

    /** A service an extension provided; empty when none did (yet). Look it up when needed rather than keeping it. */
    <T> Optional<T> service(Class<T> type);
}
