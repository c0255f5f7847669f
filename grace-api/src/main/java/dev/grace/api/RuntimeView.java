package dev.grace.api;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A read-only view of the runtime a plugin runs in: the plugins and their states, what was
 * published, the hourly history of every KPI and the cognition benchmarks. For plugins that watch
 * or govern the runtime itself (the reference {@code core}, {@code temporal}, {@code parliament}
 * and {@code federation} plugins); most plugins never need it.
 *
 * <p>Inject it with {@code @Inject RuntimeView runtime} or take it from
 * {@link PluginContext#runtime()}. Every method returns a snapshot and is safe to call from any
 * thread; none blocks on another plugin.
 */
public interface RuntimeView {

    /** Every plugin the runtime knows, in discovery order. */
    List<PluginView> plugins();

    /** Every declared KPI of every accepted plugin, with its domain. */
    List<DomainKpi> kpis();

    /** Values accepted and rejected, and raw events dropped, since the runtime started, over all plugins. */
    PublishCounts publishing();

    /**
     * The hourly history of one KPI from {@code since} on, oldest first, merged across every runtime
     * sharing the store; the current, still open hour last (with {@link HourPoint#closed()} false).
     * Hours without values are absent. Without a store, only the hours held in memory (about two
     * days).
     */
    List<HourPoint> hourly(String domain, String kpi, Instant since);

    /**
     * The mean time, in seconds, from publishing a value to its raw event being committed to the
     * store, over the raw events committed since the previous call by the same caller's plugin;
     * empty when none were committed since, or when raw events or the store are off.
     */
    OptionalDouble persistLatencySeconds();

    /** The admin HTTP endpoint's base address, when it is on. */
    Optional<URI> adminEndpoint();

    /**
     * The cognition benchmarks with their thresholds and latest evaluation; empty when cognition is
     * off. While the store cannot be read (see {@link #storedDataAvailable()}), the last list read
     * successfully, or an empty list when there was none; never an exception.
     */
    List<BenchmarkView> benchmarks();

    /**
     * Whether what the store holds can be read now. False while the database is unreachable: then
     * {@link #hourly} answers only the hours held in memory (about two days) and {@link #benchmarks()}
     * the last list read. Nothing in this view throws because the store is down: stored data is
     * simply "not available now". True when no store is attached (there is nothing to miss).
     *
     * @since 0.1.0
     */
    default boolean storedDataAvailable() {
        return true;
    }

    /**
     * A plugin as seen by another.
     *
     * @param id         its id
     * @param domain     its domain
     * @param version    its version
     * @param state      its lifecycle state: DISCOVERED, STARTING, RUNNING, FAILED, STOPPED, RESTARTING or QUARANTINED
     * @param stateSince when it entered that state, on the runtime's clock
     * @param cause      why it failed or was quarantined, in one line; null otherwise
     * @param restarts   how often the supervisor restarted it
     * @param warnings   what vetting or loading warned about
     * @param source     {@code classpath}, {@code host} or the jar's path
     */
    record PluginView(String id, String domain, String version, String state, Instant stateSince,
                      @Nullable String cause, int restarts, List<String> warnings, String source) {
        public PluginView {
            warnings = List.copyOf(warnings);
        }

        /** Whether it is running. */
        public boolean running() {
            return "RUNNING".equals(state);
        }
    }

    /** A declared KPI and the domain it belongs to. */
    record DomainKpi(String pluginId, String domain, Kpi kpi) {
    }

    /**
     * Publishing totals since the runtime started.
     *
     * @param accepted   values accepted
     * @param rejected   values rejected, for any reason
     * @param rawDropped raw events dropped (their values were still rolled up)
     */
    record PublishCounts(long accepted, long rejected, long rawDropped) {
    }

    /**
     * One hour of one KPI.
     *
     * @param hour   the hour's start
     * @param count  values accepted in it
     * @param mean   their mean
     * @param min    the smallest
     * @param max    the largest
     * @param closed false for the current hour, which may still change
     */
    record HourPoint(Instant hour, long count, double mean, double min, double max, boolean closed) {
    }

    /**
     * A cognition benchmark.
     *
     * @param name      its name, for example {@code overall_health}
     * @param metric    what it judges, for example {@code overall.health} or {@code security.health}
     * @param threshold the value it must reach
     * @param value     its latest evaluated value; empty before the first evaluation or in a gap
     * @param sustained whether it has held over its whole window
     */
    record BenchmarkView(String name, String metric, double threshold, OptionalDouble value, boolean sustained) {
    }
}
