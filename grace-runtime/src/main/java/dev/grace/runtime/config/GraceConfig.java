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
 *   enabled: [example]     # optional: only these plugins start; the others are listed as DISABLED
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
 * @param store       where events and rollups are persisted
 * @param http        the admin HTTP server
 * @param cognition   scores, benchmarks, readiness events and alerts
 * @param enabledPlugins the ids of the plugins to start, written {@code plugins.enabled}; null starts every
 *                    plugin found. A plugin left out is reported DISABLED and never started
 */
public record GraceConfig(Path dataDir, List<Path> pluginsDirs, String nodeId, Publisher publisher,
                          Lifecycle lifecycle, Map<String, Map<String, Object>> plugins, Vetting vetting,
                          Supervision supervision, Store store, HttpConfig http, CognitionConfig cognition,
                          List<String> enabledPlugins) {

    /** Fills every absent component with its default and copies collections. */
    public GraceConfig {
        dataDir = dataDir == null ? Path.of("grace-data") : dataDir;
        pluginsDirs = pluginsDirs == null ? List.of(Path.of("plugins")) : List.copyOf(pluginsDirs);
        publisher = publisher == null ? Publisher.defaults() : publisher;
        lifecycle = lifecycle == null ? Lifecycle.defaults() : lifecycle;
        plugins = plugins == null ? Map.of() : Map.copyOf(plugins);
        vetting = vetting == null ? Vetting.defaults() : vetting;
        supervision = supervision == null ? Supervision.defaults() : supervision;
        store = store == null ? Store.defaults() : store;
        http = http == null ? HttpConfig.defaults() : http;
        cognition = cognition == null ? CognitionConfig.defaults() : cognition;
        enabledPlugins = enabledPlugins == null ? null : List.copyOf(enabledPlugins);
    }

    /** The record as it was before {@code plugins.enabled}: every plugin enabled. */
    public GraceConfig(Path dataDir, List<Path> pluginsDirs, String nodeId, Publisher publisher,
                       Lifecycle lifecycle, Map<String, Map<String, Object>> plugins, Vetting vetting,
                       Supervision supervision, Store store, HttpConfig http, CognitionConfig cognition) {
        this(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, store, http, cognition,
                null);
    }

    /** Whether the plugin with this id may start: {@code plugins.enabled} is unset or names it. */
    public boolean pluginEnabled(String pluginId) {
        return enabledPlugins == null || enabledPlugins.contains(pluginId);
    }

    /** A copy that starts only the plugins with these ids; null starts every plugin. */
    public GraceConfig withEnabledPlugins(List<String> ids) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, store,
                http, cognition, ids);
    }

    /** The record as it was before the admin HTTP server and cognition existed: both at their defaults. */
    public GraceConfig(Path dataDir, List<Path> pluginsDirs, String nodeId, Publisher publisher,
                       Lifecycle lifecycle, Map<String, Map<String, Object>> plugins, Vetting vetting,
                       Supervision supervision, Store store) {
        this(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, store, null, null);
    }

    /** The record as it was before the store existed: every store setting at its default. */
    public GraceConfig(Path dataDir, List<Path> pluginsDirs, String nodeId, Publisher publisher,
                       Lifecycle lifecycle, Map<String, Map<String, Object>> plugins, Vetting vetting,
                       Supervision supervision) {
        this(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, null);
    }

    /** Every default. */
    public static GraceConfig defaults() {
        return new GraceConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A copy with another data directory. */
    public GraceConfig withDataDir(Path dir) {
        return new GraceConfig(dir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, store, http, cognition, enabledPlugins);
    }

    /** A copy with other plugin directories. */
    public GraceConfig withPluginsDirs(List<Path> dirs) {
        return new GraceConfig(dataDir, dirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, store, http, cognition, enabledPlugins);
    }

    /** A copy with other publisher settings. */
    public GraceConfig withPublisher(Publisher p) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, p, lifecycle, plugins, vetting, supervision, store, http, cognition, enabledPlugins);
    }

    /** A copy with other lifecycle settings. */
    public GraceConfig withLifecycle(Lifecycle l) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, l, plugins, vetting, supervision, store, http, cognition, enabledPlugins);
    }

    /** A copy with other plugin sections. */
    public GraceConfig withPlugins(Map<String, Map<String, Object>> sections) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, sections, vetting, supervision, store, http, cognition, enabledPlugins);
    }

    /** A copy with other store settings. */
    public GraceConfig withStore(Store s) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, s, http, cognition, enabledPlugins);
    }

    /** A copy with other admin HTTP settings. */
    public GraceConfig withHttp(HttpConfig h) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, store, h, cognition, enabledPlugins);
    }

    /** A copy with other cognition settings. */
    public GraceConfig withCognition(CognitionConfig c) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, store, http, c, enabledPlugins);
    }

    /** A copy with another node id. */
    public GraceConfig withNodeId(String id) {
        return new GraceConfig(dataDir, pluginsDirs, id, publisher, lifecycle, plugins, vetting, supervision, store, http, cognition, enabledPlugins);
    }

    /**
     * Where events and rollups are persisted: an H2 file database under the data directory by
     * default, or the PostgreSQL database named by {@code url}, shared by many runtimes.
     *
     * @param enabled         whether the runtime persists at all (default true)
     * @param url             a JDBC URL ({@code jdbc:postgresql://...} or {@code jdbc:h2:...}); null for
     *                        the H2 file {@code <dataDir>/store/grace}
     * @param user            the database user; null for the URL's own or none
     * @param password        the database password; null for the URL's own or none
     * @param flushInterval   how often the current and every touched hour are written (default 1s);
     *                        a kill -9 loses at most this much of the rollups
     * @param rawRetention    how long raw events are kept (default 7d)
     * @param hourlyRetention how long hourly rollups are kept (default 90d)
     * @param dailyRetention  how long daily rollups are kept (default 730d)
     * @param weeklyRetention how long weekly rollups are kept (default 3650d)
     * @param maxUnsentHours  hours of rollup state kept in memory while the database is unreachable;
     *                        beyond it the oldest hour goes to the journal, or is dropped and counted
     *                        without one (default 48)
     * @param journal         the local journal that holds what the database could not take (default on, 256 MiB)
     */
    public record Store(boolean enabled, String url, String user, String password, Duration flushInterval,
                        Duration rawRetention, Duration hourlyRetention, Duration dailyRetention,
                        Duration weeklyRetention, int maxUnsentHours, Journal journal) {

        /** The store without naming the journal: the default journal. */
        public Store(boolean enabled, String url, String user, String password, Duration flushInterval,
                     Duration rawRetention, Duration hourlyRetention, Duration dailyRetention,
                     Duration weeklyRetention, int maxUnsentHours) {
            this(enabled, url, user, password, flushInterval, rawRetention, hourlyRetention, dailyRetention,
                    weeklyRetention, maxUnsentHours, null);
        }

        /** Fills defaults and checks the limits. */
        public Store {
            url = url == null || url.isBlank() ? null : url.strip();
            flushInterval = flushInterval == null ? Duration.ofSeconds(1) : flushInterval;
            if (flushInterval.compareTo(Duration.ofMillis(10)) < 0 || flushInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("store.flushInterval must be between 10ms and 1h, got " + flushInterval);
            }
            rawRetention = retention(rawRetention, Duration.ofDays(7), "store.rawRetention");
            hourlyRetention = retention(hourlyRetention, Duration.ofDays(90), "store.hourlyRetention");
            dailyRetention = retention(dailyRetention, Duration.ofDays(730), "store.dailyRetention");
            weeklyRetention = retention(weeklyRetention, Duration.ofDays(3650), "store.weeklyRetention");
            maxUnsentHours = maxUnsentHours == 0 ? 48 : maxUnsentHours;
            if (maxUnsentHours < 1) {
                throw new IllegalArgumentException("store.maxUnsentHours must be at least 1, got " + maxUnsentHours);
            }
            journal = journal == null ? Journal.defaults() : journal;
        }

        /**
         * The store's local journal under {@code <dataDir>/journal/}: while the database is unreachable,
         * raw events and hour states that cannot be written go there, and are replayed when it answers.
         *
         * @param enabled  whether there is one (default true); without it, what the database cannot take
         *                 while it is down is held in memory only, and dropped and counted as before
         * @param maxBytes the most the journal's files hold together, 64 KiB to 1 TiB (default 256 MiB);
         *                 what would go beyond is dropped and counted
         */
        public record Journal(boolean enabled, long maxBytes) {

            /** The default bound, 256 MiB. */
            public static final long DEFAULT_MAX_BYTES = 256L << 20;

            /** Fills the default and checks the bound. */
            public Journal {
                maxBytes = maxBytes == 0 ? DEFAULT_MAX_BYTES : maxBytes;
                if (maxBytes < 64L << 10 || maxBytes > 1L << 40) {
                    throw new IllegalArgumentException("store.journal.maxBytes must be between 65536 (64 KiB) and"
                            + " 1099511627776 (1 TiB), got " + maxBytes);
                }
            }

            /** On, 256 MiB. */
            public static Journal defaults() {
                return new Journal(true, DEFAULT_MAX_BYTES);
            }
        }

        /** A copy with another journal. */
        public Store withJournal(Journal j) {
            return new Store(enabled, url, user, password, flushInterval, rawRetention, hourlyRetention,
                    dailyRetention, weeklyRetention, maxUnsentHours, j);
        }

        /** On, H2 under the data directory, 1s flushes, 7d of raw events, 48 unsent hours. */
        public static Store defaults() {
            return new Store(true, null, null, null, null, null, null, null, null, 0);
        }

        /** A copy with another JDBC URL. */
        public Store withUrl(String jdbcUrl) {
            return new Store(enabled, jdbcUrl, user, password, flushInterval, rawRetention, hourlyRetention,
                    dailyRetention, weeklyRetention, maxUnsentHours, journal);
        }

        /** A copy switched on or off. */
        public Store withEnabled(boolean on) {
            return new Store(on, url, user, password, flushInterval, rawRetention, hourlyRetention,
                    dailyRetention, weeklyRetention, maxUnsentHours, journal);
        }

        /** A copy with another flush interval. */
        public Store withFlushInterval(Duration interval) {
            return new Store(enabled, url, user, password, interval, rawRetention, hourlyRetention,
                    dailyRetention, weeklyRetention, maxUnsentHours, journal);
        }

        /** A copy with another bound on unsent hours. */
        public Store withMaxUnsentHours(int hours) {
            return new Store(enabled, url, user, password, flushInterval, rawRetention, hourlyRetention,
                    dailyRetention, weeklyRetention, hours, journal);
        }

        private static Duration retention(Duration d, Duration otherwise, String key) {
            if (d == null) {
                return otherwise;
            }
            if (d.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException(key + " must be at least 1h, got " + d);
            }
            return d;
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Store[enabled=" + enabled + ", url=" + url + ", user=" + user + ", password="
                    + (password == null ? null : "***") + ", flushInterval=" + flushInterval + ", rawRetention="
                    + rawRetention + ", hourlyRetention=" + hourlyRetention + ", dailyRetention=" + dailyRetention
                    + ", weeklyRetention=" + weeklyRetention + ", maxUnsentHours=" + maxUnsentHours + ", journal=" + journal
                    + ']';
        }
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
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, v, supervision, store, http, cognition, enabledPlugins);
    }

    /** A copy with other supervision settings. */
    public GraceConfig withSupervision(Supervision s) {
        return new GraceConfig(dataDir, pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, s, store, http, cognition, enabledPlugins);
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
