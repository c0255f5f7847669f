package dev.grace.testkit;

import dev.grace.api.DomainPlugin;
import dev.grace.api.RejectReason;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.config.GraceConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one plugin under the real runtime rules — the same declaration checks, validation, lifecycle
 * and rollups as in production — with a {@link ManualClock}, and keeps in memory what it published
 * and what was rejected. The plugin's scheduler runs in virtual time: its tasks run on the test's
 * thread when the test calls {@link #advance(Duration)}, so scheduled work is tested without waiting.
 *
 * <pre>{@code
 * try (PluginHarness h = PluginHarness.forPlugin(new MyPlugin()).config("path", dir.toString()).start()) {
 *     assertThat(h.state()).isEqualTo(PluginState.RUNNING);
 *     assertThat(h.values("files_scanned")).containsExactly(3.0);
 *     assertThat(h.rejected()).isEmpty();
 * }
 * }</pre>
 */
public final class PluginHarness implements AutoCloseable {

    private final GraceRuntime runtime;
    private final ManualClock clock;
    private final List<RawEvent> published = Collections.synchronizedList(new ArrayList<>());
    private final List<Rejected> rejected = Collections.synchronizedList(new ArrayList<>());
    private final Path dataDir;
    private final boolean ownDataDir;
    /** The plugins directory holding a copy of the jar under test; null for an instance. */
    private final Path pluginsDir;
    private volatile VirtualScheduler scheduler;

    private PluginHarness(Builder b) {
        this.clock = b.clock;
        this.ownDataDir = b.dataDir == null;
        try {
            this.dataDir = b.dataDir != null ? b.dataDir : Files.createTempDirectory("grace-harness-");
            this.pluginsDir = b.jar == null ? null : copyPlugin(b.jar);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data or plugins directory for the harness", e);
        }
        GraceConfig config = GraceConfig.defaults()
                .withDataDir(dataDir)
                .withPluginsDirs(pluginsDir == null ? List.of() : List.of(pluginsDir))
                .withSupervision(b.supervision)
                .withPublisher(new GraceConfig.Publisher(b.latenessLimit, true, 1 << 20))
                .withLifecycle(new GraceConfig.Lifecycle(b.startTimeout, b.startTimeout))
                .withPlugins(Map.of(b.pluginId(), b.config))
                // A plugin's test is about what it publishes, not about the database: no store.
                .withStore(GraceConfig.Store.defaults().withEnabled(false));
        GraceRuntime.Builder rb = GraceRuntime.builder();
        if (b.plugin != null) {
            rb.plugin(b.plugin);
        }
        this.runtime = rb
                .config(config)
                .clock(clock)
                .discoverClasspath(false)
                .supervise(false)
                .events(b.events)
                .rawEventSink(published::addAll)
                .rejectionListener((plugin, kpi, value, reason) -> rejected.add(new Rejected(kpi, value, reason)))
                .schedulers((pluginId, threads) -> {
                    // The runtime's thread factory carries the plugin's loader; tasks run on the test's
                    // thread, so the virtual scheduler sets that loader around each of them.
                    scheduler = new VirtualScheduler(pluginId, clock, threads.newThread(() -> { }).getContextClassLoader());
                    return scheduler;
                })
                .build();
    }

    /** Starts describing a harness for this plugin instance. */
    public static Builder forPlugin(DomainPlugin plugin) {
        return new Builder(java.util.Objects.requireNonNull(plugin, "plugin"), null);
    }

    /**
     * Starts describing a harness for a plugin jar (or folder of jars), loaded as in production:
     * checked and vetted, then loaded by its own isolated class loader from a plugins directory
     * (the harness's copy, so the original can be deleted or rebuilt). Its config section is found
     * by the jar's {@code Grace-Plugin-Id}. A refused jar gives a FAILED {@link #status()} with the
     * reason.
     */
    public static Builder forJar(Path jarOrFolder) {
        return new Builder(null, jarOrFolder);
    }

    private static Path copyPlugin(Path jar) throws IOException {
        Path dir = Files.createTempDirectory("grace-harness-plugins-");
        Path target = dir.resolve(jar.getFileName());
        try (var walk = Files.walk(jar)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                Path to = target.resolve(jar.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return dir;
    }

    /** The plugin's status: state, cause when FAILED, declarations. */
    public PluginStatus status() {
        return runtime.plugins().get(0);
    }

    /** The plugin's state. */
    public PluginState state() {
        return status().state();
    }

    /** Whether the plugin is in {@code state}; the testkit's way to ask, with no runtime type in the test. */
    public boolean is(State state) {
        return state().name().equals(state.name());
    }

    /** The plugin's state, as the testkit's {@link State}. */
    public State currentState() {
        return State.valueOf(state().name());
    }

    /** Why the plugin is FAILED, RESTARTING, QUARANTINED or DISABLED, in one line; null otherwise. */
    public String cause() {
        return status().cause();
    }

    /** One KPI's figures for the hour the clock is in, as the testkit's {@link Hour}. */
    public Optional<Hour> hour(String kpi) {
        return currentHour(kpi).map(h -> new Hour(h.kpi(), h.hourStart(), h.count(), h.mean(), h.min(), h.max(),
                h.quantile(0.5), h.quantile(0.95), h.quantile(0.99)));
    }

    /** The clock the plugin reads. */
    public ManualClock clock() {
        return clock;
    }

    /**
     * Moves the clock forward by {@code d}, running on this thread, in order, every task of the
     * plugin's scheduler that falls due on the way (each with the clock at its due time), and turns
     * the hour whenever a boundary is crossed.
     */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward; got " + d);
        }
        long target = clock.millis() + d.toMillis();
        VirtualScheduler s = scheduler;
        if (s == null) {
            clock.advance(d);
        } else {
            // Step hour by hour so every value lands in the hour it was published in.
            while (clock.millis() < target) {
                long nextHour = Math.floorDiv(clock.millis(), 3_600_000L) * 3_600_000L + 3_600_000L;
                long step = Math.min(target, nextHour - 1);
                s.advanceTo(step);
                if (step < target) {
                    clock.set(Instant.ofEpochMilli(step + 1));
                    runtime.turnHour();
                }
            }
            s.advanceTo(target); // tasks due exactly at a target on an hour boundary, in the new hour
        }
        runtime.turnHour();
    }

    /** Runs the plugin's scheduled tasks that are due now (those scheduled with no delay, say) without moving the clock. */
    public void runDueTasks() {
        VirtualScheduler s = scheduler;
        if (s != null) {
            s.advanceTo(clock.millis());
        }
    }

    /**
     * Runs one supervision tick at the clock's current time: a plugin whose tasks threw or whose
     * health check fails is stopped; one whose backoff has passed is restarted. Move the clock with
     * {@link #advance(Duration)} between ticks to pass backoffs.
     */
    public void supervise() {
        runtime.supervise();
        runDueTasks();
    }

    /** How often the supervisor restarted the plugin. */
    public int restarts() {
        return status().restarts();
    }

    /** How many of the plugin's scheduled tasks have thrown. */
    public long failedTasks() {
        VirtualScheduler s = scheduler;
        return s == null ? 0 : s.failures();
    }

    /** Everything accepted so far, in the order the runtime received it. */
    public List<Published> published() {
        runtime.awaitRawEvents(Duration.ofSeconds(10));
        synchronized (published) {
            return published.stream()
                    .map(e -> new Published(e.kpi(), e.value(), Instant.ofEpochMilli(e.epochMillis()), e.metadata(),
                            e.series()))
                    .toList();
        }
    }

    /** The accepted values of one KPI, in order. */
    public List<Double> values(String kpi) {
        return published().stream().filter(p -> p.kpi().equals(kpi)).map(Published::value).toList();
    }

    /**
     * The accepted values of one series of a KPI, in order: those recorded on the series bound to
     * exactly {@code attributes} (empty: those recorded without attributes).
     */
    public List<Double> values(String kpi, Map<String, String> attributes) {
        String series = SeriesKey.of(attributes);
        return published().stream().filter(p -> p.kpi().equals(kpi) && p.series().equals(series))
                .map(Published::value).toList();
    }

    /** The last accepted value of one KPI, if any. */
    public Optional<Double> last(String kpi) {
        List<Double> v = values(kpi);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** Everything rejected so far. */
    public List<Rejected> rejected() {
        synchronized (rejected) {
            return List.copyOf(rejected);
        }
    }

    /** How many values were rejected for this reason. */
    public long rejected(RejectReason reason) {
        return runtime.stats().rejected(status().id(), reason);
    }

    /** Accepted and rejected counts as the runtime's self-metrics report them. */
    public PublishStats stats() {
        return runtime.stats();
    }

    /** One KPI's rollup for the hour the clock is in. */
    public Optional<HourlyRollup> currentHour(String kpi) {
        return runtime.rollups().hour(status().domain(), kpi, runtime.rollups().currentHour());
    }

    /** Every hourly rollup held: each KPI's total (merged from its series when it has attributes). */
    public List<HourlyRollup> rollups() {
        return runtime.rollups().all();
    }

    /** One series' rollup for the hour the clock is in; {@code attributes} as bound (empty: the KPI's total). */
    public Optional<HourlyRollup> currentHour(String kpi, Map<String, String> attributes) {
        String series = SeriesKey.of(attributes);
        if (series.isEmpty()) {
            return currentHour(kpi);
        }
        Instant hour = runtime.rollups().currentHour();
        return runtime.rollups().series(status().domain(), kpi).stream()
                .filter(r -> r.hourStart().equals(hour) && r.series().equals(series)).findFirst();
    }

    /** The series rollups (not the total) held for one KPI, by hour, then series key. */
    public List<HourlyRollup> series(String kpi) {
        return runtime.rollups().series(status().domain(), kpi);
    }

    /** The runtime underneath, for anything else. */
    public GraceRuntime runtime() {
        return runtime;
    }

    /** The data directory the plugin's own directory lives under. */
    public Path dataDirectory() {
        return dataDir;
    }

    /** Stops the plugin and the runtime; deletes the data directory if the harness created it. */
    @Override
    public void close() {
        runtime.close();
        if (ownDataDir) {
            deleteRecursively(dataDir);
        }
        if (pluginsDir != null) {
            deleteRecursively(pluginsDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** How to set up a {@link PluginHarness}. */
    public static final class Builder {
        private final DomainPlugin plugin;
        private final Path jar;
        private GraceConfig.Supervision supervision = GraceConfig.Supervision.defaults();
        private dev.grace.runtime.RuntimeEvents events = dev.grace.runtime.RuntimeEvents.NONE;
        private final Map<String, Object> config = new LinkedHashMap<>();
        private ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        private Duration latenessLimit = Duration.ofHours(2);
        private Duration startTimeout = Duration.ofSeconds(10);
        private Path dataDir;

        private Builder(DomainPlugin plugin, Path jar) {
            this.plugin = plugin;
            this.jar = jar;
        }

        private String pluginId() {
            if (jar != null) {
                return manifestId();
            }
            try {
                return plugin.info().id();
            } catch (RuntimeException e) {
                return "unknown";
            }
        }

        private String manifestId() {
            List<Path> jars;
            try (var list = Files.isDirectory(jar) ? Files.list(jar) : java.util.stream.Stream.of(jar)) {
                jars = list.filter(p -> p.toString().endsWith(".jar")).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Path j : jars) {
                try (var f = new java.util.jar.JarFile(j.toFile())) {
                    var mf = f.getManifest();
                    String id = mf == null ? null : mf.getMainAttributes().getValue("Grace-Plugin-Id");
                    if (id != null) {
                        return id.strip();
                    }
                } catch (IOException e) {
                    return "unknown";
                }
            }
            if (!config.isEmpty()) {
                throw new IllegalStateException(jar + " has no Grace-Plugin-Id manifest attribute, so the harness"
                        + " cannot tell which config section is the plugin's; add one");
            }
            return "unknown";
        }

        /** How the plugin is supervised (default: {@link GraceConfig.Supervision#defaults()}); drive it with {@link PluginHarness#supervise()}. */
        public Builder supervision(GraceConfig.Supervision supervision) {
            this.supervision = supervision;
            return this;
        }

        /** Told of the plugin's refusal, restarts and quarantine. */
        public Builder events(dev.grace.runtime.RuntimeEvents events) {
            this.events = events;
            return this;
        }

        /** Sets one key of the plugin's config section. */
        public Builder config(String key, Object value) {
            config.put(key, value);
            return this;
        }

        /** The clock (default: a manual clock at 2026-01-01T00:00:00Z). */
        public Builder clock(ManualClock clock) {
            this.clock = clock;
            return this;
        }

        /** The publisher's lateness limit (default 2h). */
        public Builder latenessLimit(Duration limit) {
            this.latenessLimit = limit;
            return this;
        }

        /** How long start and stop may take (default 10s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** The data directory (default: a temporary one, deleted on close). */
        public Builder dataDirectory(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * Builds the harness, starts the plugin and runs the scheduled tasks due at once (those the
         * plugin scheduled with no initial delay). Check {@link PluginHarness#state()}: a failed
         * start does not throw.
         */
        public PluginHarness start() {
            PluginHarness h = new PluginHarness(this);
            h.runtime.start();
            h.runDueTasks();
            return h;
        }
    }
}
