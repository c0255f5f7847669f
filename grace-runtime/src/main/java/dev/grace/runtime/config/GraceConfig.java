package dev.grace.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The runtime's whole configuration, as read from one YAML or JSON file, {@code GRACE_*}
 * environment variables and command-line flags by {@link ConfigLoader}. Every component has a
 * default, so {@link #defaults()} is a working configuration.
 *
 * <p>In a file the keys are written as the record components are named:
 * <pre>{@code
 * dataDir: ./grace-data
 * pluginsDirs: [./plugins]
 * publisher:
 *   latenessLimit: 2h
 *   rawEvents: true
 * plugins:
 *   example:
 *     path: ./docs
 * }</pre>
 *
 * @param dataDir     where the runtime keeps its data (and each plugin its own directory)
 * @param pluginsDirs directories scanned for plugin jars
 * @param nodeId      this runtime's node id; null derives one from the host name and data directory
 * @param publisher   the safe publisher's limits
 * @param lifecycle   plugin start and stop timeouts
 * @param plugins     each plugin's own section, by plugin id
 * @param vetting     what plugin jars may not reference
 * @param supervision how plugins that fail while running are restarted
 */
public record GraceConfig(Path dataDir, List<Path> pluginsDirs, String nodeId, Publisher publisher,
                          Lifecycle lifecycle, Map<String, Map<String, Object>> plugins, Vetting vetting,
                          Supervision supervision) {

    /** Fills every absent component with its default and copies collections. */
    public GraceConfig {
        dataDir = dataDir == null ? Path.of("grace-data") : dataDir;
        pluginsDirs = pluginsDirs == null ? List.of(Path.of("plugins")) : List.copyOf(pluginsDirs);
        publisher = publisher == null ? Publisher.defaults() : publisher;
        lifecycle = lifecycle == null ? Lifecycle.defaults() : lifecycle;
        plugins = plugins == null ? Map.of() : Map.copyOf(plugins);
        vetting = vetting == null ? Vetting.defaults() : vetting;
        supervision = supervision == null ? Supervision.defaults() : supervision;
    }

    /** Every default. */
    public static GraceConfig defaults() {
        return new GraceConfig(null, null, null, null, null, null, null, null);
    }

    /** A copy with another data directory. */
    public GraceConfig withDataDir(Path dir) {
        return new GraceConfig(dir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision);
    }

    /** A copy with other plugin directories. */
    public GraceConfig withPluginsDirs(List<Path> dirs) {
        return new GraceConfig(dataDir, dirs, nodeId, publisher, lifecycle, plugins, vetting, supervision);
    }

    /** A copy with other publisher settings. */
    public GraceConfig withPublisher(Publisher p) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, p, lifecycle, plugins, vetting, supervision);
    }

    /** A copy with other lifecycle settings. */
    public GraceConfig withLifecycle(Lifecycle l) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, l, plugins, vetting, supervision);
    }

    /** A copy with other plugin sections. */
    public GraceConfig withPlugins(Map<String, Map<String, Object>> sections) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, sections, vetting, supervision);
    }

    /**
     * The safe publisher's limits.
     *
     * @param latenessLimit     how old an explicit event time may be before it is rejected (default 2h)
     * @param rawEvents         whether accepted values are also queued as raw events for the store (default true)
     * @param rawEventCapacity  the raw-event queue's capacity; when full, raw events are dropped and
     *                          counted while the rollup still counts the value (default 65536)
     */
    public record Publisher(Duration latenessLimit, boolean rawEvents, int rawEventCapacity) {

        /** Checks the limits. */
        public Publisher {
            latenessLimit = latenessLimit == null ? Duration.ofHours(2) : latenessLimit;
            if (latenessLimit.isNegative() || latenessLimit.isZero() || latenessLimit.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException(
                        "publisher.latenessLimit must be between 1ms and 7d, got " + latenessLimit);
            }
            if (rawEventCapacity < 1024 || Integer.bitCount(rawEventCapacity) != 1) {
                throw new IllegalArgumentException(
                        "publisher.rawEventCapacity must be a power of two of at least 1024, got " + rawEventCapacity);
            }
        }

        /** 2h lateness, raw events on, 65536 queued raw events. */
        public static Publisher defaults() {
            return new Publisher(Duration.ofHours(2), true, 1 << 16);
        }
    }

    /**
     * Plugin lifecycle timeouts.
     *
     * @param startTimeout how long {@code start} may run before the plugin is marked FAILED (default 10s)
     * @param stopTimeout  how long {@code stop} may run before the plugin is marked FAILED (default 10s)
     */
    public record Lifecycle(Duration startTimeout, Duration stopTimeout) {

        /** Checks the timeouts. */
        public Lifecycle {
            startTimeout = positive(startTimeout, "lifecycle.startTimeout");
            stopTimeout = positive(stopTimeout, "lifecycle.stopTimeout");
        }

        /** 10s each. */
        public static Lifecycle defaults() {
            return new Lifecycle(null, null);
        }

        private static Duration positive(Duration d, String key) {
            return positive(d, key, Duration.ofSeconds(10));
        }

        static Duration positive(Duration d, String key, Duration dflt) {
            if (d == null) {
                return dflt;
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(key + " must be positive, got " + d);
            }
            return d;
        }
    }

    /** A copy with other vetting settings. */
    public GraceConfig withVetting(Vetting v) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, v, supervision);
    }

    /** A copy with other supervision settings. */
    public GraceConfig withSupervision(Supervision s) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, s);
    }

    /**
     * What a plugin jar's classes may not reference; checked before any of its code runs.
     *
     * @param deny class names and packages (a package covers its sub-packages); default
     *             {@code dev.grace.runtime.internal}, {@code jdk.internal}, {@code sun.misc.Unsafe}
     */
    public record Vetting(List<String> deny) {

        /**
         * The runtime's internals change in any release; the JDK's internals are closed by the
         * module system and break on upgrade. A plugin that needs either is coupled to something it
         * must not be.
         */
        public static final List<String> DEFAULT_DENY = List.of(
                "dev.grace.runtime.internal", "jdk.internal", "sun.misc.Unsafe");

        /** Copies the list. */
        public Vetting {
            deny = deny == null ? DEFAULT_DENY : List.copyOf(deny);
        }

        /** The runtime's internals and the JDK's. */
        public static Vetting defaults() {
            return new Vetting(null);
        }
    }

    /**
     * How plugins that fail while running (a scheduled task threw, or {@code health()} said so) are
     * restarted: after a backoff that doubles from {@code backoff} up to {@code maxBackoff}, at most
     * {@code maxRestarts} times within {@code window}; one more failure quarantines the plugin.
     *
     * @param interval    how often the runtime checks its plugins (default 10s)
     * @param maxRestarts restarts allowed within the window (default 5; 0 quarantines at the first failure)
     * @param window      the window restarts are counted in (default 1h)
     * @param backoff     the wait before the first restart (default 1s)
     * @param maxBackoff  the longest wait (default 5m)
     */
    public record Supervision(Duration interval, int maxRestarts, Duration window, Duration backoff,
                              Duration maxBackoff) {

        /** Fills defaults and checks the values. */
        public Supervision {
            interval = Lifecycle.positive(interval, "supervision.interval", Duration.ofSeconds(10));
            window = Lifecycle.positive(window, "supervision.window", Duration.ofHours(1));
            backoff = Lifecycle.positive(backoff, "supervision.backoff", Duration.ofSeconds(1));
            maxBackoff = Lifecycle.positive(maxBackoff, "supervision.maxBackoff", Duration.ofMinutes(5));
            if (maxRestarts < 0) {
                throw new IllegalArgumentException("supervision.maxRestarts must not be negative, got " + maxRestarts);
            }
        }

        /** Every 10s; 5 restarts per hour, backoff 1s doubling up to 5m. */
        public static Supervision defaults() {
            return new Supervision(null, 5, null, null, null);
        }
    }

    /** The section for one plugin, empty when absent. */
    public Map<String, Object> pluginSection(String pluginId) {
        Objects.requireNonNull(pluginId, "pluginId");
        return plugins.getOrDefault(pluginId, Map.of());
    }
}
