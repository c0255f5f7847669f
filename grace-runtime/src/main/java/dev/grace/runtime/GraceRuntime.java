package dev.grace.runtime;

import dev.grace.api.DomainPlugin;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.extension.RuntimeExtension;
import dev.grace.runtime.internal.core.RuntimeSettings;
import dev.grace.runtime.internal.core.RuntimeState;
import dev.grace.runtime.store.RollupQuery;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Grace runtime, embedded in a host application.
 *
 * <pre>{@code
 * try (GraceRuntime grace = GraceRuntime.builder().config(config).build().start()) {
 *     ... the host runs; plugins publish ...
 * } // close() stops every plugin and flushes what they published
 * }</pre>
 *
 * <p>{@link #start()} discovers plugins with {@link java.util.ServiceLoader} (on the classpath and
 * in the configured plugin directories), checks their declarations, and starts each on its own
 * thread. A plugin that is refused, throws or hangs ends FAILED with its cause and never affects the
 * others. Independent plugins start in parallel, dependants after their dependencies. While they run, {@link #supervise()} (called every
 * {@code supervision.interval} on a runtime thread, or by the host) restarts those that fail, and
 * quarantines those that keep failing. {@link #close()} is idempotent.
 *
 * <p>The core keeps hour states in memory. The store, cognition and the admin server are
 * {@linkplain RuntimeExtension extensions}: found on the classpath (add {@code grace-store},
 * {@code grace-cognition}, {@code grace-admin}) or given to {@link Builder#extension}.
 */
public final class GraceRuntime implements AutoCloseable {

    private final RuntimeState state;

    private GraceRuntime(RuntimeSettings settings) {
        this.state = new RuntimeState(settings);
    }

    /** Starts a runtime description; every setting has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Finds plugins and checks their declarations without starting any. Idempotent; {@link #start()}
     * calls it.
     */
    public GraceRuntime discover() {
        state.discover();
        return this;
    }

    /**
     * Discovers (if not done yet), starts the extensions, then every accepted plugin, each on its own
     * thread with the configured timeout: independent plugins at the same time, a plugin after every
     * plugin it requires is RUNNING. Returns, once every start has succeeded or failed, this, for
     * {@code builder()...build().start()}.
     *
     * @throws IllegalStateException when the runtime was closed
     */
    public GraceRuntime start() {
        state.start();
        return this;
    }

    /**
     * Checks every running plugin once and heals what failed: a plugin whose scheduled tasks threw
     * or whose {@code health()} says so is stopped, and restarted after its backoff; after too many
     * restarts it is quarantined. The runtime calls this every {@code supervision.interval}; a host or
     * test that drives a controllable clock (and built the runtime with {@code supervise(false)})
     * calls it itself after moving the clock.
     */
    public void supervise() {
        state.supervise();
    }

    /** Every plugin found, in discovery order, with its state and cause. */
    public List<PluginStatus> plugins() {
        return state.plugins();
    }

    /** Accepted, rejected by reason and raw events dropped, per plugin and in total. */
    public PublishStats stats() {
        return state.stats();
    }

    /** The hourly rollups held in memory. */
    public Rollups rollups() {
        return state.rollups();
    }

    /**
     * The rollups stored in the database, merged across every node that shares it.
     *
     * @throws IllegalStateException when no store is open: it is off ({@code store.enabled: false}),
     *                               not attached, or the runtime has not started
     */
    public RollupQuery storedRollups() {
        return state.storedRollups();
    }

    /** Where the store writes, with this runtime's node id; empty when no store is open. */
    public Optional<String> storeLocation() {
        return state.storeLocation();
    }

    /**
     * Where the admin HTTP server (API, {@code /metrics}, dashboard) serves, for example
     * {@code http://127.0.0.1:8470/}; empty when no admin server is attached, {@code http.enabled} is
     * false, before {@link #start()} and after {@link #close()}.
     */
    public Optional<URI> adminEndpoint() {
        return state.adminEndpoint();
    }

    /**
     * Cognition over this runtime's store: scores, benchmarks, readiness and alerts. Empty when
     * cognition is not attached or off, or before {@link #start()}.
     */
    public Optional<Cognition> cognition() {
        return state.cognition();
    }

    /**
     * Turns to the clock's current hour now, instead of at the ticker's next wake-up. The ticker
     * does this by itself at each boundary; hosts and tests that move a controllable clock call it
     * right after moving the clock.
     */
    public void turnHour() {
        state.turnHour();
    }

    /**
     * Waits until every raw event accepted before this call has reached the raw-event sinks. True at
     * once when raw events are off.
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitRawEvents(Duration timeout) {
        return state.awaitRawEvents(timeout);
    }

    /**
     * Writes every rollup held in memory to the store now, and waits for that.
     *
     * @return false when no store is open, or the write failed or took longer than {@code timeout}
     */
    public boolean flushStore(Duration timeout) {
        return state.flushStore(timeout);
    }

    /** The clock every plugin reads. */
    public Clock clock() {
        return state.clock();
    }

    /** The configuration in force. */
    public GraceConfig config() {
        return state.config();
    }

    /**
     * Stops every plugin (in reverse start order), refuses further values, and delivers everything
     * accepted: the final state of every hour and every queued raw event. Idempotent.
     */
    @Override
    public void close() {
        state.close();
    }

    /**
     * How to build a {@link GraceRuntime}. Every setting has a default: the default configuration,
     * the system UTC clock, classpath discovery with this class's loader, no extra plugins.
     */
    public static final class Builder {
        private GraceConfig config = GraceConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private boolean discoverClasspath = true;
        private ClassLoader classLoader = GraceRuntime.class.getClassLoader();
        private final List<DomainPlugin> plugins = new ArrayList<>();
        private RawEventSink rawEventSink;
        private RejectionListener rejectionListener;
        private SchedulerFactory schedulers;
        private RuntimeEvents events = RuntimeEvents.NONE;
        private boolean superviseAutomatically = true;
        private final List<RuntimeExtension> extensions = new ArrayList<>();
        private boolean discoverExtensions = true;

        private final List<AlertChannel> alertChannels = new ArrayList<>();
        private boolean evaluateAutomatically = true;

        private Builder() {
        }

        /** Told of refusals, restarts and quarantines (the store's audit log); default: nobody. */
        public Builder events(RuntimeEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** Adds an alert channel for cognition (when attached); it receives every alert type. */
        public Builder alertChannel(AlertChannel channel) {
            alertChannels.add(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /**
         * Whether cognition (when attached) evaluates due hours by itself, on a thread that wakes each minute
         * (default true). Tests that move a controllable clock turn it off and call
         * {@code cognition().evaluateDue()}.
         */
        public Builder evaluate(boolean automatically) {
            this.evaluateAutomatically = automatically;
            return this;
        }

        /**
         * Whether the runtime calls {@link GraceRuntime#supervise()} itself, every
         * {@code supervision.interval} (default true). Tests that drive a manual clock turn it off
         * and call {@code supervise()} after moving the clock.
         */
        public Builder supervise(boolean automatically) {
            this.superviseAutomatically = automatically;
            return this;
        }

        /** The configuration (data directory, plugin directories, publisher limits, plugin sections). */
        public Builder config(GraceConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The clock plugins and the publisher read; hours are UTC whatever its zone. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether to discover plugins on the classpath (default true). Plugin directories are always scanned. */
        public Builder discoverClasspath(boolean discover) {
            this.discoverClasspath = discover;
            return this;
        }

        /** The class loader for classpath discovery, and the parent of plugin jars' loaders. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "classLoader");
            return this;
        }

        /** Adds a plugin instance made by the host; it goes through the same checks and lifecycle. */
        public Builder plugin(DomainPlugin plugin) {
            this.plugins.add(Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        /**
         * Where accepted values go as raw events, in batches on the runtime's own thread. Without a
         * sink (or with {@code publisher.rawEvents: false}) no raw events are queued at all.
         */
        public Builder rawEventSink(RawEventSink sink) {
            this.rawEventSink = sink;
            return this;
        }

        /** Told of every rejection, for test harnesses and diagnostics. */
        public Builder rejectionListener(RejectionListener listener) {
            this.rejectionListener = listener;
            return this;
        }

        /** Makes each plugin's scheduler (default: one thread per plugin, failures logged and counted). */
        public Builder schedulers(SchedulerFactory factory) {
            this.schedulers = factory;
            return this;
        }

        /**
         * Attaches an extension (the store, cognition, the admin server, or the host's own); it
         * replaces a discovered extension of the same name.
         */
        public Builder extension(RuntimeExtension extension) {
            this.extensions.add(Objects.requireNonNull(extension, "extension"));
            return this;
        }

        /**
         * Whether to find extensions on the class loader with {@link java.util.ServiceLoader} (default
         * true): a host that depends on {@code grace-store} gets the store without a line of code.
         */
        public Builder discoverExtensions(boolean discover) {
            this.discoverExtensions = discover;
            return this;
        }

        /** Builds the runtime; nothing is discovered or started until {@link GraceRuntime#start()}. */
        public GraceRuntime build() {
            return new GraceRuntime(new RuntimeSettings(config, clock, discoverClasspath, classLoader, plugins,
                    rawEventSink, rejectionListener, schedulers, events, superviseAutomatically, extensions,
                    discoverExtensions, alertChannels, evaluateAutomatically));
        }
    }
}
