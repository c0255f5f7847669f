package dev.grace.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.benchmarks.CognitionBenchmark.Call;
import dev.grace.benchmarks.Curve.Point;
import dev.grace.benchmarks.Curve.Series;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.store.Period;
import dev.grace.store.StoreExtension;
import dev.grace.testkit.ManualClock;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The one-shot scale curves, each measured in a fresh runtime on a fresh H2 file store, driven by
 * a {@link ManualClock} so that an hour passes when the harness says so:
 * <ol>
 *   <li><b>the hour turn against KPIs</b> (10, 1,000, 100,000 in one plugin, no extension): one
 *       value recorded into every KPI, the clock moved into the next hour, {@code turnHour()} timed;
 *       repeated, the median kept;</li>
 *   <li><b>the store flush against KPIs</b> (10, 1,000, 10,000, 100,000, the store alone; H2, or
 *       PostgreSQL with {@code --flush-url}): the same, then {@code flushStore()} timed: it writes the
 *       hour just closed, one rollup row per KPI and its day's and week's rows merged;</li>
 *   <li><b>heap per KPI per open hour</b>: the heap used after a full GC before and after one fresh
 *       hour was filled, divided by the KPIs, with one value per KPI and with 256 from 1 and 4
 *       threads ({@link #heap});</li>
 *   <li><b>{@code status()} and {@code GET /api/cognition/status} against domains</b> (1, 10, 100
 *       domains × 20 KPIs): a few hours of data, every closed hour evaluated, then
 *       {@code status(hour)} (computed) and {@code status()} (what readers get, cached per flush)
 *       timed back to back, and the endpoint at a constant rate ({@link HttpLoad#paced});</li>
 *   <li><b>the 30-day rollup query against KPIs in the store</b> (10, 100, 1,000): 30 days of hourly
 *       rollups written through the runtime, then {@code storedRollups().rollups(kpi, HOUR, 30 days
 *       ago)} (720 rows) and the same by {@code DAY} (30 rows), for a KPI picked at random each call.</li>
 * </ol>
 * Writes {@code scale-result.json} ({@link Report}); {@link Curves} draws it with the JMH record curve.
 *
 * <pre>{@code java -cp benchmarks.jar dev.grace.benchmarks.ScaleBenchmark [--quick] [--only hour|status|query] [--out DIR]}</pre>
 */
public final class ScaleBenchmark {

    static final String RESULT_FILE = "scale-result.json";
    static final Instant START = CognitionDataSet.START;
    static final int KPIS_PER_DOMAIN = 20;
    /** Values per KPI per hour in the status data set, one every 15 minutes. */
    static final int STATUS_VALUES_PER_HOUR = 4;
    private static final long HOUR = 3_600_000L;

    private ScaleBenchmark() {
    }

    /** What to run; {@code --quick} shortens the repeats, the hours and the timed windows, not the sizes. */
    record Settings(List<Integer> hourKpis, List<Integer> flushKpis, int repeats, List<Integer> domains, int statusHours, List<Integer> queryKpis,
                    int queryDays, double statusRate, Duration warmup, Duration run, boolean hour, boolean status,
                    boolean query, Path out, String mode, boolean flushOnly, String flushUrl) {

        static final String USAGE = """
                usage: ScaleBenchmark [--quick] [--only hour|flush|status|query] [--flush-kpis N,N..]
                                      [--flush-url JDBC_URL] [--out DIR]
                  --quick       3 repeats (1 at 100,000 KPIs), 3 hours of status data, 0.5 s warm-up and
                                1 s measured per call (default: 7 repeats, 24 hours, 3 s and 10 s)
                  --only        one part: the hour turn, flush and heap; the store flush alone; status();
                                the 30-day query
                  --flush-kpis  the flush curve's sizes (default 10,1000,10000,100000)
                  --flush-url   the flush curve's PostgreSQL database (default a fresh H2 file per size),
                                written into a schema bench_flush created afresh for each size
                  --out         where scale-result.json goes (default grace-benchmarks/target)
                """;

        /**
         * Timed repeats at {@code kpis}: in quick mode one at 100,000 KPIs and more, where a flush
         * to H2 takes 24-30 s and the sizes, not the repeats, are what the curve is for.
         */
        int repeatsAt(int kpis) {
            return mode.equals("quick") && kpis >= 100_000 ? 1 : repeats;
        }

        /** The curve's series name: how many timed runs each point is the median of. */
        String medianOf(List<Integer> sizes) {
            List<Integer> fewer = sizes.stream().filter(n -> repeatsAt(n) != repeats).toList();
            return "median of " + repeats + (fewer.isEmpty() ? ""
                    : " (" + String.format(Locale.ROOT, "%,d", repeatsAt(fewer.get(0))) + " at "
                    + fewer.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).collect(java.util.stream.Collectors.joining(", "))
                    + " KPIs)");
        }

        static Settings parse(String... args) {
            boolean quick = List.of(args).contains("--quick");
            boolean hour = true;
            boolean status = true;
            boolean query = true;
            boolean flushOnly = false;
            String flushUrl = null;
            List<Integer> flushKpis = List.of(10, 1_000, 10_000, 100_000);
            Path out = Path.of("grace-benchmarks", "target");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> { }
                    case "--out" -> out = Path.of(Options.value(args, ++i, "--out"));
                    case "--only" -> {
                        String part = Options.value(args, ++i, "--only");
                        if (!List.of("hour", "flush", "status", "query").contains(part)) {
                            throw new IllegalArgumentException("--only takes 'hour', 'flush', 'status' or 'query', got '"
                                    + part + "'");
                        }
                        flushOnly = part.equals("flush");
                        hour = part.equals("hour") || flushOnly;
                        status = part.equals("status");
                        query = part.equals("query");
                    }
                    case "--flush-kpis" -> flushKpis = Arrays.stream(Options.value(args, ++i, "--flush-kpis").split(","))
                            .map(n -> Options.whole("--flush-kpis", n.strip(), 1, 1_000_000)).toList();
                    case "--flush-url" -> flushUrl = Options.value(args, ++i, "--flush-url");
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; --help lists the options");
                }
            }
            return new Settings(List.of(10, 1_000, 100_000), flushKpis, quick ? 3 : 7, List.of(1, 10, 100), quick ? 3 : 24,
                    List.of(10, 100, 1_000), 30, 50, quick ? Duration.ofMillis(500) : Duration.ofSeconds(3), Duration.ofSeconds(quick ? 1 : 10),
                    hour, status, query, out, quick ? "quick" : "full", flushOnly, flushUrl);
        }
    }

    /** Everything one invocation measured, as written to JSON. */
    record Report(String startedAt, String commit, String mode, int cores, String jvm, double loadBefore,
                  double loadAfter, List<Curve> curves) {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(Settings.USAGE);
            return;
        }
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ScaleBenchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = run(s, System.out);
        Files.createDirectories(s.out());
        Path json = s.out().resolve(RESULT_FILE);
        write(report, json);
        System.out.println("JSON: " + json);
    }

    static void write(Report report, Path json) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    }

    static Report read(Path json) throws IOException {
        return new ObjectMapper().readValue(json.toFile(), Report.class);
    }

    /** Runs the parts the settings ask for, printing progress to {@code log}. */
    static Report run(Settings s, PrintStream log) throws Exception {
        String startedAt = Instant.now().toString();
        double loadBefore = EndToEndBenchmark.loadAverage();
        Path root = Files.createTempDirectory("grace-scale-");
        List<Curve> curves = new ArrayList<>();
        try {
            if (s.flushOnly()) {
                curves.add(flush(s, root, log));
            } else if (s.hour()) {
                curves.addAll(hourTurnAndFlush(s, root, log));
                curves.add(heap(s, root, log));
            }
            if (s.status()) {
                curves.addAll(status(s, root, log));
            }
            if (s.query()) {
                curves.add(query(s, root, log));
            }
        } finally {
            EndToEndBenchmark.delete(root);
        }
        return new Report(startedAt, System.getProperty("grace.commit", "unknown"), s.mode(),
                Runtime.getRuntime().availableProcessors(), Runtime.version() + " " + System.getProperty("java.vm.name"),
                loadBefore, EndToEndBenchmark.loadAverage(), curves);
    }

    /** A runtime with the store alone (no cognition, no HTTP), flushing only when asked. */
    private static GraceRuntime storeOnly(Path dir, ManualClock clock, ScalePlugin plugin) {
        return storeOnly(storeConfig(dir), clock, plugin);
    }

    private static GraceRuntime storeOnly(GraceConfig config, ManualClock clock, ScalePlugin plugin) {
        GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .discoverExtensions(false).extension(new StoreExtension()).evaluate(false).supervise(false)
                .plugin(plugin).build().start();
        started(runtime, plugin);
        return runtime;
    }

    /** Raw events off, the store flushing only when asked. */
    private static GraceConfig storeConfig(Path dir) {
        return GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of()).withNodeId("bench")
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), false, 1 << 16))
                .withStore(GraceConfig.Store.defaults().withFlushInterval(Duration.ofHours(1)));
    }

    private static Instant at(int hour, long offsetMillis) {
        return Instant.ofEpochMilli(START.toEpochMilli() + hour * HOUR + offsetMillis);
    }

    /** One value into each KPI; every one must be accepted, or the curve would not measure what it says. */
    private static void recordEach(GraceRuntime runtime, MetricPublisher publisher, List<Kpi> kpis, int hour) {
        for (int i = 0; i < kpis.size(); i++) {
            double v = 1 + (i * 7 + hour) % 500;
            if (!publisher.record(kpis.get(i), v)) {
                throw new IllegalStateException("the runtime refused " + kpis.get(i).name() + " = " + v + ": "
                        + runtime.stats());
            }
        }
    }

    private static void flush(GraceRuntime runtime) {
        if (!runtime.flushStore(Duration.ofMinutes(5))) {
            throw new IllegalStateException("the store did not flush within 5 minutes");
        }
    }

    /** Heap used after a full GC: two {@code System.gc()} calls, so finalised objects go too. */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e6;
    }

    /**
     * The hour turn and the open hour's heap against the KPIs of one plugin, in a runtime with no
     * extension (the turn is the core's work alone); then the store flush, in a runtime with the store.
     */
    static List<Curve> hourTurnAndFlush(Settings s, Path root, PrintStream log) throws Exception {
        List<Point> turn = new ArrayList<>();
        for (int n : s.hourKpis()) {
            ManualClock clock = ManualClock.at(at(0, 30_000));
            ScalePlugin plugin = new ScalePlugin("scale", n, false);
            GraceConfig inMemory = storeConfig(root.resolve("memory-" + n))
                    .withStore(GraceConfig.Store.defaults().withEnabled(false));
            GraceRuntime runtime = GraceRuntime.builder().config(inMemory)
                    .clock(clock).discoverClasspath(false).discoverExtensions(false).evaluate(false).supervise(false)
                    .plugin(plugin).build().start();
            try {
                MetricPublisher publisher = started(runtime, plugin).publisher();
                List<Kpi> kpis = plugin.kpis();
                recordEach(runtime, publisher, kpis, 0);
                int repeats = s.repeatsAt(n);
                long[] turns = new long[repeats];
                for (int r = 0; r < repeats; r++) {
                    clock.set(at(r + 1, 30_000));
                    long t0 = System.nanoTime();
                    runtime.turnHour();
                    turns[r] = System.nanoTime() - t0;
                    recordEach(runtime, publisher, kpis, r + 1);
                }
                if (runtime.stats().totalAccepted() != (long) n * (repeats + 1)) {
                    throw new IllegalStateException("hour turn at " + n + " KPIs: accepted " + runtime.stats().totalAccepted()
                            + " of " + (long) n * (repeats + 1));
                }
                turn.add(new Point(n, median(turns)));
                log.printf(Locale.ROOT, "  %,d KPIs: hour turn %.3f ms (median of %d)%n", n, median(turns),
                        repeats);
            } finally {
                runtime.close();
            }
            EndToEndBenchmark.delete(root.resolve("memory-" + n));
        }
        return List.of(
                new Curve("scale-hour-turn", "turnHour(): closing the hour in memory", "KPIs", "ms",
                        List.of(new Series(s.medianOf(s.hourKpis()), turn))),
                flush(s, root, log));
    }

    /**
     * The store flush against KPIs, in a runtime with the store alone: one value into every KPI, the
     * hour turned, {@code flushStore()} timed; the hourly rows read back to check every hour was written.
     */
    static Curve flush(Settings s, Path root, PrintStream log) throws Exception {
        String store = s.flushUrl() == null ? "H2" : s.flushUrl().startsWith("jdbc:postgresql:") ? "PostgreSQL" : "the store";
        List<Point> flush = new ArrayList<>();
        for (int n : s.flushKpis()) {
            Path dir = root.resolve("flush-" + n);
            ManualClock clock = ManualClock.at(at(0, 30_000));
            ScalePlugin plugin = new ScalePlugin("scale", n, false);
            GraceConfig config = storeConfig(dir);
            if (s.flushUrl() != null) {
                // a schema of its own, emptied before each size
                config = config.withStore(config.store().withUrl(StoreBenchmark.freshSchema(s.flushUrl(), "bench_flush")));
            }
            long heapBefore = heapAfterGc();
            GraceRuntime runtime = storeOnly(config, clock, plugin);
            try {
                MetricPublisher publisher = plugin.context.publisher();
                List<Kpi> kpis = plugin.kpis();
                // Each flush writes the hour just closed, whose values no flush has written yet; the
                // first is the warm-up (it also inserts the KPIs' day and week rows) and is not timed.
                int repeats = s.repeatsAt(n);
                long[] flushes = new long[repeats];
                recordEach(runtime, publisher, kpis, 0);
                for (int r = 0; r <= repeats; r++) {
                    clock.set(at(r + 1, 30_000));
                    runtime.turnHour();
                    long t0 = System.nanoTime();
                    flush(runtime);
                    if (r > 0) {
                        flushes[r - 1] = System.nanoTime() - t0;
                    }
                    if (r < repeats) {
                        recordEach(runtime, publisher, kpis, r + 1);
                    }
                }
                long stored = runtime.storedRollups().rollups("scale", kpis.get(0).name(), Period.HOUR, START).size();
                if (stored != repeats + 1) {
                    throw new IllegalStateException("flush at " + n + " KPIs: " + stored + " hourly rows of " + (repeats + 1));
                }
                flush.add(new Point(n, median(flushes)));
                log.printf(Locale.ROOT, "  %,d KPIs: store flush to %s %.1f ms (median of %d; max %.1f ms),"
                                + " heap after GC %,d MB more than before the runtime; uptime %s%n", n, store,
                        median(flushes), repeats, Arrays.stream(flushes).max().orElse(0) / 1e6,
                        (heapAfterGc() - heapBefore) >> 20, EndToEndBenchmark.loadAverage());
            } finally {
                runtime.close();
            }
            EndToEndBenchmark.delete(dir);
        }
        return new Curve("scale-flush", "flushStore(): the closed hour's rollups to " + store, "KPIs", "ms",
                List.of(new Series(s.medianOf(s.flushKpis()), flush)));
    }


    /** Values per KPI in the heap curve's filled hours: every 4th of the JMH stream, still five decades. */
    static final int SPREAD_VALUES = 256;

    /** The values and threads each heap series records with. */
    private record HeapLoad(String name, int values, int threads, int maxKpis) {
    }

    /**
     * Heap per KPI per open hour against the KPIs of one plugin, in a runtime with no extension: the
     * heap used after a full GC before and after filling one fresh hour, divided by the KPIs. The
     * state a KPI's hour holds depends on what was recorded into it: one value; {@value #SPREAD_VALUES}
     * values of the JMH value stream (log-uniform over 0.1 ms–10 s, five decades of DDSketch bins) from
     * one thread; the same from 4 threads, each of which writes its own stripe ({@code Stripes}) with
     * its own sketch. The 4-thread series stops at 10,000 KPIs: at 100,000 its open hour alone would
     * take ~2 GB. Run with {@code -Xmx3g} ({@code run.sh} does): at 100,000 KPIs with filled sketches
     * the open hour takes ~0.5 GB and {@code close()}, which closes that hour, about as much again (a
     * 1 GB heap ran out there).
     */
    static Curve heap(Settings s, Path root, PrintStream log) throws Exception {
        List<Series> series = new ArrayList<>();
        for (HeapLoad load : List.of(new HeapLoad("1 value, 1 thread", 1, 1, Integer.MAX_VALUE),
                new HeapLoad(SPREAD_VALUES + " values, 1 thread", SPREAD_VALUES, 1, Integer.MAX_VALUE),
                new HeapLoad(SPREAD_VALUES + " values, 4 threads", SPREAD_VALUES, 4, 10_000))) {
            List<Point> points = new ArrayList<>();
            for (int n : s.hourKpis()) {
                if (n > load.maxKpis()) {
                    continue;
                }
                ManualClock clock = ManualClock.at(at(0, 30_000));
                ScalePlugin plugin = new ScalePlugin("scale", n, false);
                GraceRuntime runtime = GraceRuntime.builder().config(storeConfig(root.resolve("heap-" + n))
                                .withStore(GraceConfig.Store.defaults().withEnabled(false)))
                        .clock(clock).discoverClasspath(false).discoverExtensions(false).evaluate(false)
                        .supervise(false).plugin(plugin).build().start();
                try {
                    MetricPublisher publisher = started(runtime, plugin).publisher();
                    List<Kpi> kpis = plugin.kpis();
                    long before = heapAfterGc();
                    List<Thread> threads = new ArrayList<>();
                    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
                    for (int t = 0; t < load.threads(); t++) {
                        int first = t;
                        Thread th = new Thread(() -> {
                            int step = ValueStream.MILLIS.length / load.values();
                            for (int v = first; v < load.values(); v += load.threads()) {
                                double value = ValueStream.MILLIS[v * step];
                                for (Kpi k : kpis) {
                                    if (!publisher.record(k, value)) {
                                        failures.add(new IllegalStateException("refused " + k.name() + " = " + value));
                                        return;
                                    }
                                }
                            }
                        }, "heap-load-" + t);
                        threads.add(th);
                        th.start();
                    }
                    for (Thread th : threads) {
                        th.join();
                    }
                    if (!failures.isEmpty()) {
                        throw new IllegalStateException("heap at " + n + " KPIs: " + failures.get(0).getMessage()
                                + ": " + runtime.stats());
                    }
                    long after = heapAfterGc();
                    double perKpi = (after - before) / (double) n;
                    points.add(new Point(n, perKpi));
                    log.printf(Locale.ROOT, "  %,d KPIs, %s: open hour %,.0f B/KPI%n", n, load.name(), perKpi);
                } finally {
                    runtime.close();
                }
                EndToEndBenchmark.delete(root.resolve("heap-" + n));
            }
            series.add(new Series(load.name(), points));
        }
        return new Curve("scale-heap", "heap per KPI per open hour (after full GC)", "KPIs", "bytes per KPI", series);
    }

    private static PluginContext started(GraceRuntime runtime, ScalePlugin plugin) {
        if (plugin.context == null) {
            runtime.close();
            throw new IllegalStateException("plugin " + plugin.info().id() + " did not start: " + runtime.plugins());
        }
        return plugin.context;
    }

    /** {@code status()} and {@code /api/cognition/status} against domains of 20 KPIs. */
    static List<Curve> status(Settings s, Path root, PrintStream log) throws Exception {
        List<Point> computed = new ArrayList<>();
        List<Point> cached = new ArrayList<>();
        List<Point> p50 = new ArrayList<>();
        List<Point> p99 = new ArrayList<>();
        List<Point> p999 = new ArrayList<>();
        for (int d : s.domains()) {
            Path dir = root.resolve("status-" + d);
            ManualClock clock = ManualClock.at(at(0, 30_000));
            List<ScalePlugin> plugins = new ArrayList<>();
            GraceRuntime.Builder builder = GraceRuntime.builder().config(CognitionDataSet.config(dir)).clock(clock)
                    .discoverClasspath(false).evaluate(false).supervise(false);
            for (int i = 0; i < d; i++) {
                ScalePlugin p = new ScalePlugin(String.format(Locale.ROOT, "d%03d", i), KPIS_PER_DOMAIN, true);
                plugins.add(p);
                builder.plugin(p);
            }
            long begin = System.nanoTime();
            GraceRuntime runtime = builder.build().start();
            try {
                Cognition cognition = runtime.cognition().orElseThrow(() ->
                        new IllegalStateException("cognition is off in this runtime"));
                int hours = s.statusHours();
                for (int h = 0; h <= hours; h++) { // hour `hours` is the open one
                    for (int k = 0; k < STATUS_VALUES_PER_HOUR; k++) {
                        clock.set(at(h, k * 900_000L + 30_000));
                        if (k == 0) {
                            runtime.turnHour();
                        }
                        for (int p = 0; p < plugins.size(); p++) {
                            ScalePlugin plugin = plugins.get(p);
                            if (plugin.context == null) {
                                throw new IllegalStateException(plugin.info().id() + " did not start: " + runtime.plugins());
                            }
                            List<Kpi> kpis = plugin.kpis();
                            for (int i = 0; i < kpis.size(); i++) {
                                Kpi kind = HostPlugin.KPIS.get(i % HostPlugin.KPIS.size());
                                double v = CognitionDataSet.value(p % CognitionDataSet.DOMAINS.size(), kind, h, k, hours);
                                if (!plugin.context.publisher().record(kpis.get(i), v)) {
                                    throw new IllegalStateException("refused " + kpis.get(i).name() + " = " + v);
                                }
                            }
                        }
                        if (k == 1 && h > 0) { // 15:30 into the hour: the previous one is past its grace period
                            flush(runtime);
                            cognition.evaluateDue();
                        }
                    }
                }
                flush(runtime);
                Instant open = clock.instant().truncatedTo(ChronoUnit.HOURS);
                Optional<Instant> last = cognition.lastEvaluatedHour();
                Status st = cognition.status();
                if (!last.equals(Optional.of(open.minus(1, ChronoUnit.HOURS))) || !st.open()
                        || st.domains().size() != d
                        || st.domains().stream().map(DomainStatus::scores).anyMatch(sc -> sc.health() == null)) {
                    throw new IllegalStateException("status() at " + d + " domains does not score every domain in the"
                            + " open hour after every closed one was evaluated (last evaluated " + last + "): " + st);
                }
                log.printf(Locale.ROOT, "  %d domains × %d KPIs: %d hours built in %.1f s%n", d, KPIS_PER_DOMAIN, hours + 1,
                        (System.nanoTime() - begin) / 1e9);
                Call c = CallTimer.progress(log, CallTimer.time("status(hour)", s.warmup(), s.run(),
                        () -> cognition.status(open)));
                Call cc = CallTimer.progress(log, CallTimer.time("status()", s.warmup(), s.run(), cognition::status));
                computed.add(new Point(d, c.latency().p50() * 1000));
                cached.add(new Point(d, cc.latency().p50() * 1000));
                URI base = runtime.adminEndpoint().orElseThrow(() ->
                        new IllegalStateException("the admin HTTP server is not running"));
                HttpLoad.PacedResult r = HttpLoad.paced(base, CognitionBenchmark.STATUS_PATH, 2, s.statusRate(),
                        s.warmup(), s.run());
                if (r.errors() > 0) {
                    throw new IllegalStateException(CognitionBenchmark.STATUS_PATH + " answered " + r.errors()
                            + " of " + r.requests() + " requests with an error at " + d + " domains");
                }
                log.printf(Locale.ROOT, "    GET %s at %.0f/s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms%n",
                        CognitionBenchmark.STATUS_PATH, s.statusRate(), r.latency().p50(), r.latency().p99(),
                        r.latency().p999());
                p50.add(new Point(d, r.latency().p50()));
                p99.add(new Point(d, r.latency().p99()));
                p999.add(new Point(d, r.latency().p999()));
            } finally {
                runtime.close();
            }
            EndToEndBenchmark.delete(dir);
        }
        String rate = String.format(Locale.ROOT, "%.0f requests/s", s.statusRate());
        return List.of(
                new Curve("scale-status", "cognition status(), " + KPIS_PER_DOMAIN + " KPIs per domain (p50)",
                        "domains", "µs", List.of(new Series("status(hour): computed", computed),
                        new Series("status(): cached per flush", cached))),
                new Curve("scale-http-status", "GET /api/cognition/status at " + rate + ", " + KPIS_PER_DOMAIN
                        + " KPIs per domain", "domains", "ms", List.of(new Series("p50", p50), new Series("p99", p99),
                        new Series("p99.9", p999))));
    }

    /**
     * The 30-day rollup query, hourly and daily, against the KPIs in the store. The first day is
     * written through the runtime (record, turn, flush, hour by hour); the other days are that day's
     * rows as the store wrote them, sketches included, copied forward a day at a time in SQL — the
     * rows a month of running leaves, without a month of flushes.
     */
    static Curve query(Settings s, Path root, PrintStream log) throws Exception {
        List<Point> hourly = new ArrayList<>();
        List<Point> daily = new ArrayList<>();
        for (int n : s.queryKpis()) {
            Path dir = root.resolve("query-" + n);
            ManualClock clock = ManualClock.at(at(0, 30_000));
            ScalePlugin plugin = new ScalePlugin("scale", n, false);
            GraceRuntime runtime = storeOnly(dir, clock, plugin);
            try {
                long begin = System.nanoTime();
                for (int h = 0; h < 24; h++) {
                    clock.set(at(h, 30_000));
                    runtime.turnHour();
                    recordEach(runtime, plugin.context.publisher(), plugin.kpis(), h);
                }
                clock.set(at(24, 30_000));
                runtime.turnHour();
                flush(runtime);
                String url = "jdbc:h2:async:" + dir.toAbsolutePath().normalize().resolve("store/grace"); // as the store opens it
                // Day by day, in the table's order: the copies lie in the file as a month of flushes
                // leaves them, hour after hour of every KPI, so one KPI's rows are scattered among the
                // others' as in a real store. (Copied in the key's order, in one statement, they took
                // 41 s instead of 68 at 1,000 KPIs, but lay KPI by KPI, and the 30-day query read them
                // in 2.3 ms instead of 11-41: a store no runtime writes.)
                try (Connection jdbc = DriverManager.getConnection(url);
                     PreparedStatement copy = jdbc.prepareStatement("INSERT INTO metrics_rollups (node, domain, kpi,"
                             + " series, period, period_start, count, sum, min, max, sum_of_squares, sketch, updated_at)"
                             + " SELECT node, domain, kpi, series, period, period_start + ?, count, sum, min, max,"
                             + " sum_of_squares, sketch, updated_at FROM metrics_rollups"
                             + " WHERE period IN ('hour', 'day') AND period_start < ?")) {
                    for (int day = 1; day < s.queryDays(); day++) {
                        copy.setLong(1, day * 24 * HOUR);
                        copy.setLong(2, START.toEpochMilli() + 24 * HOUR);
                        copy.executeUpdate();
                    }
                }
                String[] names = plugin.kpis().stream().map(Kpi::name).toArray(String[]::new);
                int hours = s.queryDays() * 24;
                int rows = runtime.storedRollups().rollups("scale", names[n - 1], Period.HOUR, START).size();
                int days = runtime.storedRollups().rollups("scale", names[n - 1], Period.DAY, START).size();
                if (rows != hours || days != s.queryDays()) {
                    throw new IllegalStateException("the 30-day query at " + n + " KPIs read " + rows + " hourly and "
                            + days + " daily rows, expected " + hours + " and " + s.queryDays());
                }
                log.printf(Locale.ROOT, "  %,d KPIs × %d days: %,d hourly rows in the store, built in %.1f s%n", n,
                        s.queryDays(), (long) n * hours, (System.nanoTime() - begin) / 1e9);
                SplittableRandom pick = new SplittableRandom(n);
                Call h = CallTimer.progress(log, CallTimer.time("30 days by hour", s.warmup(), s.run(),
                        () -> runtime.storedRollups().rollups("scale", names[pick.nextInt(names.length)], Period.HOUR, START)));
                Call dd = CallTimer.progress(log, CallTimer.time("30 days by day", s.warmup(), s.run(),
                        () -> runtime.storedRollups().rollups("scale", names[pick.nextInt(names.length)], Period.DAY, START)));
                hourly.add(new Point(n, h.latency().p50()));
                daily.add(new Point(n, dd.latency().p50()));
            } finally {
                runtime.close();
            }
            EndToEndBenchmark.delete(dir);
        }
        return new Curve("scale-query-30d", "one KPI's 30 days of rollups from the store (p50)", "KPIs in the store", "ms",
                List.of(new Series(s.queryDays() * 24 + " hourly rows", hourly),
                        new Series(s.queryDays() + " daily rows", daily)));
    }
}
