package dev.grace.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.config.GraceConfig;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * End to end: plugin threads publishing into a started runtime whose store is the H2 file
 * database, beside a bare JDBC batch insert of the same number of rows into the same schema, in the
 * same JVM and the same run; then the heap under constant load.
 *
 * <p>Ingest, one fresh database per configuration:
 * <ol>
 *   <li><b>raw events on, flat out</b>: N threads record as fast as they can for a fixed time. The
 *       raw-event ring overflows (publishers outrun any database) and counts what it drops; what
 *       reaches {@code metric_events} per second until drained is the store path's capacity while
 *       the publishers compete for the same cores;</li>
 *   <li><b>the limit</b>: a bare JDBC batch insert of as many rows as (1) persisted, batches of
 *       4,096 (the raw-event thread's largest), one commit each;</li>
 *   <li><b>raw events on, paced</b> at a share of the limit ({@code --paced}, default 0.85, above the
 *       0.8 target so that pacing granularity and the drain tail cannot decide the verdict): the
 *       target is met when everything accepted is persisted (zero loss) at ≥ 0.8 × the limit;</li>
 *   <li><b>raw events off, flat out</b>: rollups only.</li>
 * </ol>
 * After each runtime is closed the database is opened again and counted: {@code COUNT(*)} of
 * {@code metric_events} must equal accepted − dropped, and the hourly rollups' counts must add up to
 * accepted.
 *
 * <p>Heap: one runtime, raw events on, paced at a constant rate; the heap used after a full GC
 * ({@link System#gc()}, confirmed by the old-generation collector's count) sampled at a fixed
 * interval, with its slope against time and against events.
 *
 * <pre>{@code java -cp benchmarks.jar dev.grace.benchmarks.EndToEndBenchmark [--quick] [options]}</pre>
 * ({@code run.sh --e2e} runs it; {@code --help} lists the options.)
 */
public final class EndToEndBenchmark {

    static final String PLUGIN = "bench";
    /** Persisted with raw events on ÷ the bare batch insert, with zero loss. */
    static final double TARGET_RATIO = 0.8;
    /**
     * Heap growth per event at or above this is retention. Anything kept per event costs at least a
     * reference (4 bytes); noise between two full GCs is a few hundred kB, which over the full run's
     * millions of events is a small fraction of a byte.
     */
    static final double FLAT_BYTES_PER_EVENT = 1.0;

    private static final String USAGE = """
            usage: EndToEndBenchmark [--quick] [options]
              --quick              5 s per configuration, heap for 20 s sampled every 5 s (default: 60 s, 5 min every 30 s)
              --threads N          publisher threads (default 2)
              --seconds S          publishing time per ingest configuration
              --paced F            the paced run's rate as a share of the bare insert (default 0.85)
              --capacity C         the raw-event ring's capacity, a power of two (default 65536, the runtime's)
              --warmup-seconds S   warm-up before the ingest runs, discarded (default 10; quick: 1)
              --heap-seconds S     how long the heap run lasts
              --heap-every S       seconds between heap samples; the first sample after 60 s (quick: 5 s) is the 1-minute mark
              --heap-rate R        events per second, all threads together, in the heap run (default 20000)
              --only ingest|heap   one part only
              --out DIR            where the JSON goes (default grace-benchmarks/target)
              --markdown           the tables as Markdown
            """;

    private EndToEndBenchmark() {
    }

    /**
     * What to run.
     *
     * @param firstMark the heap sample from which growth is judged: the 1-minute mark (quick: 5 s)
     */
    record Settings(int threads, Duration run, Duration warmup, double paced, int capacity, boolean ingest,
                    boolean heap, Duration heapRun, Duration heapEvery, Duration firstMark, double heapRate, Path out,
                    boolean markdown, String mode) {

        static Settings full() {
            return parse();
        }

        static Settings quick() {
            return parse("--quick");
        }

        /**
         * Reads the command line: the mode's defaults, then each option given.
         *
         * @throws IllegalArgumentException naming the option and what it takes
         */
        static Settings parse(String... args) {
            boolean quick = List.of(args).contains("--quick");
            int threads = 2;
            Duration run = Duration.ofSeconds(quick ? 5 : 60);
            Duration warmup = Duration.ofSeconds(quick ? 1 : 10);
            double paced = 0.85;
            int capacity = 1 << 16;
            boolean ingest = true;
            boolean heap = true;
            Duration heapRun = quick ? Duration.ofSeconds(20) : Duration.ofMinutes(5);
            Duration heapEvery = Duration.ofSeconds(quick ? 5 : 30);
            Duration wantedMark = quick ? Duration.ofSeconds(5) : Duration.ofMinutes(1);
            double heapRate = 20_000;
            Path out = Path.of("grace-benchmarks", "target");
            boolean markdown = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> { }
                    case "--markdown" -> markdown = true;
                    case "--threads" -> threads = Options.whole(a, Options.value(args, ++i, a), 1, 64);
                    case "--seconds" -> run = Options.seconds(a, Options.value(args, ++i, a));
                    case "--warmup-seconds" -> warmup = Options.warmup(a, Options.value(args, ++i, a));
                    case "--paced" -> paced = Options.decimal(a, Options.value(args, ++i, a), 0.01, 10);
                    case "--capacity" -> {
                        capacity = Options.whole(a, Options.value(args, ++i, a), 1024, 1 << 30);
                        if (Integer.bitCount(capacity) != 1) {
                            throw new IllegalArgumentException("--capacity must be a power of two of at least 1024, got "
                                    + capacity);
                        }
                    }
                    case "--heap-seconds" -> heapRun = Options.seconds(a, Options.value(args, ++i, a));
                    case "--heap-every" -> heapEvery = Options.seconds(a, Options.value(args, ++i, a));
                    case "--heap-rate" -> heapRate = Options.decimal(a, Options.value(args, ++i, a), 1, 1e9);
                    case "--only" -> {
                        String part = Options.value(args, ++i, a);
                        if (!part.equals("ingest") && !part.equals("heap")) {
                            throw new IllegalArgumentException("--only takes 'ingest' or 'heap', got '" + part + "'");
                        }
                        ingest = part.equals("ingest");
                        heap = part.equals("heap");
                    }
                    case "--out" -> out = Path.of(Options.value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'; --help lists the options");
                }
            }
            if (heapEvery.compareTo(heapRun) > 0) {
                throw new IllegalArgumentException("--heap-every (" + heapEvery.toMillis() / 1e3 + " s) must not exceed"
                        + " the heap run (" + heapRun.toMillis() / 1e3 + " s)");
            }
            // The first sample at or after the wanted mark; the first sample when the run is shorter.
            long k = Math.max(1, (wantedMark.toMillis() + heapEvery.toMillis() - 1) / heapEvery.toMillis());
            Duration firstMark = heapEvery.multipliedBy(k).compareTo(heapRun) > 0 ? heapEvery : heapEvery.multipliedBy(k);
            return new Settings(threads, run, warmup, paced, capacity, ingest, heap, heapRun, heapEvery, firstMark,
                    heapRate, out, markdown, quick ? "quick" : "full");
        }
    }

    /**
     * One runtime's ingest, counted after it closed.
     *
     * @param name            what the configuration is
     * @param pacedRate       the asked total rate, events/s; 0 when flat out
     * @param publishSeconds  how long the threads published
     * @param accepted        values the runtime accepted ({@code stats().accepted})
     * @param returnedTrue    record calls that returned true; equal to accepted
     * @param drainSeconds    from the start of publishing until every accepted raw event was committed; NaN with raw events off
     * @param rawDropped      raw events dropped (ring full), from {@code stats().rawDropped}
     * @param rows            {@code COUNT(*)} of {@code metric_events} after close
     * @param rollupCount     the hourly rollups' counts added up, after close
     * @param batches         raw-event batches committed (each one transaction)
     * @param drainerCpuSeconds CPU time of the runtime's {@code grace-raw-events} thread from the start of
     *                        publishing until drained; NaN when not measurable
     * @param loadAverage     the machine's 1-minute load average at the end of publishing
     */
    record IngestRun(String name, boolean rawEvents, int threads, double pacedRate, double publishSeconds,
                     long accepted, long returnedTrue, double drainSeconds, long rawDropped, long rows,
                     long rollupCount, long batches, double drainerCpuSeconds, double loadAverage) {

        /** Mean rows per committed batch. */
        double rowsPerBatch() {
            return batches == 0 ? Double.NaN : (double) rows / batches;
        }

        /** CPU microseconds the raw-event thread spent per persisted row. */
        double drainerMicrosPerRow() {
            return rows == 0 ? Double.NaN : drainerCpuSeconds * 1e6 / rows;
        }

        double acceptedPerSecond() {
            return accepted / publishSeconds;
        }

        /** Rows in {@code metric_events} per second of wall time until drained; NaN with raw events off. */
        double persistedPerSecond() {
            return rawEvents ? rows / drainSeconds : Double.NaN;
        }

        /** Accepted values whose raw event is not in the database, dropped or otherwise. */
        long lost() {
            return rawEvents ? accepted - rows : 0;
        }

        /** Every accepted value is accounted for: persisted or counted as dropped, and in the rollups. */
        boolean accountedFor() {
            return rollupCount == accepted && returnedTrue == accepted
                    && (rawEvents ? rows == accepted - rawDropped : rows == 0);
        }
    }

    /** The limit: a bare JDBC batch insert, on one thread, with that thread's CPU time. */
    record BareRun(long rows, double seconds, double cpuSeconds, double loadAverage) {
        double rowsPerSecond() {
            return rows / seconds;
        }

        double cpuMicrosPerRow() {
            return cpuSeconds * 1e6 / rows;
        }
    }

    /** One heap sample, after a full GC. */
    record HeapSample(double seconds, long accepted, long heapUsedBytes, boolean fullGc) {
    }

    /** The heap run. */
    record HeapRun(int threads, double rate, double firstMarkSeconds, List<HeapSample> samples, IngestRun ingest) {

        private List<HeapSample> judged() {
            return samples.stream().filter(s -> s.seconds() >= firstMarkSeconds - 1e-9).toList();
        }

        /** Least-squares slope of heap against time, from the first mark on; bytes per minute. */
        double bytesPerMinute() {
            return slope(judged(), s -> s.seconds() / 60);
        }

        /** Least-squares slope of heap against events accepted, from the first mark on; bytes per event. */
        double bytesPerEvent() {
            return slope(judged(), s -> (double) s.accepted());
        }

        boolean flat() {
            return judged().size() >= 2 && bytesPerEvent() < FLAT_BYTES_PER_EVENT
                    && samples.stream().allMatch(HeapSample::fullGc);
        }

        private static double slope(List<HeapSample> points, java.util.function.ToDoubleFunction<HeapSample> x) {
            if (points.size() < 2) {
                return Double.NaN;
            }
            double mx = points.stream().mapToDouble(x).average().orElseThrow();
            double my = points.stream().mapToDouble(HeapSample::heapUsedBytes).average().orElseThrow();
            double num = 0;
            double den = 0;
            for (HeapSample p : points) {
                double dx = x.applyAsDouble(p) - mx;
                num += dx * (p.heapUsedBytes() - my);
                den += dx * dx;
            }
            return num / den;
        }
    }

    /** Everything one invocation measured, as written to JSON. */
    record Report(String startedAt, String commit, String mode, int cores, String jvm, long maxHeapBytes,
                  List<IngestRun> ingest, BareRun bare, HeapRun heap) {

        IngestRun run(String name) {
            return ingest.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
        }
    }

    static final String FLAT_OUT_RAW = "raw events on, flat out";
    static final String PACED_RAW = "raw events on, paced";
    static final String FLAT_OUT_ROLLUPS = "raw events off, flat out";

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("EndToEndBenchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = run(settings, System.out);
        Files.createDirectories(settings.out());
        Path json = settings.out().resolve(settings.ingest() ? "e2e-result.json" : "e2e-heap-result.json");
        write(report, json);
        System.out.println();
        System.out.print(render(report, settings.markdown()));
        System.out.println("\nJSON: " + json);
    }

    /** Runs what the settings ask for, printing progress to {@code log}. */
    static Report run(Settings s, java.io.PrintStream log) throws Exception {
        String startedAt = Instant.now().toString();
        Path root = Files.createTempDirectory("grace-e2e-");
        try {
            List<IngestRun> ingest = new ArrayList<>();
            BareRun bare = null;
            if (s.ingest()) {
                if (!s.warmup().isZero()) { // JIT: the runtime's path and H2's, shared by both sides
                    log.printf(Locale.ROOT, "warming up for %d s ...%n", s.warmup().toSeconds());
                    IngestRun w = grace(root.resolve("warmup"), "warm-up", true, s.threads(), s.warmup(), 0, s.capacity());
                    StoreBenchmark.bareJdbc(root.resolve("warmup-bare"), Math.max(1, w.rows()));
                    delete(root.resolve("warmup"));
                    delete(root.resolve("warmup-bare"));
                }
                IngestRun flat = progress(log, grace(root.resolve("flat"), FLAT_OUT_RAW, true, s.threads(), s.run(), 0,
                        s.capacity()));
                delete(root.resolve("flat"));
                double load = loadAverage();
                long rows = Math.max(1, flat.rows());
                long cpu = threadCpuNanos(Thread.currentThread());
                double bareRate = StoreBenchmark.bareJdbc(root.resolve("bare"), rows);
                bare = new BareRun(rows, rows / bareRate, (threadCpuNanos(Thread.currentThread()) - cpu) / 1e9, load);
                log.printf(Locale.ROOT, "  bare JDBC batch insert: %,d rows, %,.0f rows/s%n", rows, bare.rowsPerSecond());
                delete(root.resolve("bare"));
                double rate = s.paced() * bare.rowsPerSecond();
                ingest.add(flat);
                ingest.add(progress(log, grace(root.resolve("paced"), PACED_RAW, true, s.threads(), s.run(), rate,
                        s.capacity())));
                delete(root.resolve("paced"));
                ingest.add(progress(log, grace(root.resolve("off"), FLAT_OUT_ROLLUPS, false, s.threads(), s.run(), 0,
                        s.capacity())));
                delete(root.resolve("off"));
            }
            HeapRun heap = s.heap() ? heap(root.resolve("heap"), s, log) : null;
            return new Report(startedAt, System.getProperty("grace.commit", "unknown"), s.mode(),
                    Runtime.getRuntime().availableProcessors(), Runtime.version() + " " + System.getProperty("java.vm.name"),
                    Runtime.getRuntime().maxMemory(), ingest, bare, heap);
        } finally {
            delete(root);
        }
    }

    private static IngestRun progress(java.io.PrintStream log, IngestRun r) {
        log.printf(Locale.ROOT, "  %s: accepted %,d, dropped %,d, rows %,d, rollups %,d%n", r.name(), r.accepted(),
                r.rawDropped(), r.rows(), r.rollupCount());
        return r;
    }

    /** A fresh H2 file database under {@code dir}, as the runtime creates it by default. */
    static GraceConfig config(Path dir, boolean rawEvents, int capacity) {
        return GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of()).withNodeId("bench")
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), rawEvents, capacity));
    }

    private static GraceRuntime started(Path dir, boolean rawEvents, int capacity, BenchPlugin plugin,
                                        LongAdder batches) {
        // The runtime hands each raw-event batch to the host's sink after the store committed it.
        GraceRuntime runtime = GraceRuntime.builder().config(config(dir, rawEvents, capacity)).discoverClasspath(false)
                .plugin(plugin).rawEventSink(batch -> batches.increment()).build().start();
        if (plugin.context == null) {
            runtime.close();
            throw new IllegalStateException("the bench plugin was not started: " + runtime.plugins());
        }
        return runtime;
    }

    /** N publishers into a runtime with the H2 store for {@code length}; counted after close. */
    static IngestRun grace(Path dir, String name, boolean rawEvents, int threads, Duration length, double rate,
                           int capacity) throws Exception {
        BenchPlugin plugin = new BenchPlugin();
        LongAdder batches = new LongAdder();
        GraceRuntime runtime = started(dir, rawEvents, capacity, plugin, batches);
        Publishers.Outcome out;
        double load;
        long drained;
        long drainerCpu;
        PublishStats stats;
        try {
            Thread drainer = thread("grace-raw-events");
            long cpu = threadCpuNanos(drainer);
            out = Publishers.run(plugin.context.publisher(), threads, length, rate);
            load = loadAverage();
            if (!runtime.awaitRawEvents(Duration.ofMinutes(5))) {
                throw new IllegalStateException(name + ": raw events not committed within 5 minutes after publishing"
                        + " stopped; the store is stuck (see the log above)");
            }
            drained = System.nanoTime();
            drainerCpu = threadCpuNanos(drainer) - cpu;
            stats = runtime.stats();
        } finally {
            runtime.close();
        }
        long[] counts = counts(dir);
        return new IngestRun(name, rawEvents, threads, rate, out.seconds(), stats.accepted(PLUGIN), out.returnedTrue(),
                rawEvents ? (drained - out.startNanos()) / 1e9 : Double.NaN, stats.rawDropped(PLUGIN), counts[0],
                counts[1], batches.sum(), drainerCpu / 1e9, load);
    }

    /** {@code COUNT(*)} of raw events and the hourly rollups' counts added up, read with bare JDBC. */
    static long[] counts(Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().normalize().resolve("store/grace") + ";AUTO_SERVER=TRUE";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            long rows;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM metric_events")) {
                rs.next();
                rows = rs.getLong(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(count), 0) FROM metrics_rollups WHERE period = 'hour'")) {
                rs.next();
                return new long[] {rows, rs.getLong(1)};
            }
        }
    }

    /** Constant load with raw events on; the heap after a full GC every {@code heapEvery}. */
    static HeapRun heap(Path dir, Settings s, java.io.PrintStream log) throws Exception {
        log.printf(Locale.ROOT, "heap: %d threads at %,.0f events/s for %d s, a full GC every %d s ...%n", s.threads(),
                s.heapRate(), s.heapRun().toSeconds(), s.heapEvery().toSeconds());
        BenchPlugin plugin = new BenchPlugin();
        LongAdder batches = new LongAdder();
        GraceRuntime runtime = started(dir, true, s.capacity(), plugin, batches);
        List<HeapSample> samples = new ArrayList<>();
        Publishers.Outcome out;
        double load;
        long drained;
        PublishStats stats;
        long drainerCpu;
        try {
            Thread drainer = thread("grace-raw-events");
            long cpu = threadCpuNanos(drainer);
            Publishers.Running running = Publishers.start(plugin.context.publisher(), s.threads(), s.heapRun(),
                    s.heapRate());
            long start = running.startNanos();
            long every = s.heapEvery().toNanos();
            for (long at = every; at <= s.heapRun().toNanos(); at += every) {
                long wait;
                while ((wait = start + at - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long accepted = runtime.stats().accepted(PLUGIN);
                long before = fullCollections();
                System.gc();
                boolean full = fullCollections() > before;
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                HeapSample sample = new HeapSample(at / 1e9, accepted, used, full);
                samples.add(sample);
                log.printf(Locale.ROOT, "  %6.1f s: %,d events, heap after full GC %,.1f MB%s%n", sample.seconds(),
                        accepted, used / 1e6, full ? "" : " (no full GC seen)");
            }
            out = running.await();
            load = loadAverage();
            if (!runtime.awaitRawEvents(Duration.ofMinutes(5))) {
                throw new IllegalStateException("heap run: raw events not committed within 5 minutes after publishing"
                        + " stopped; the store is stuck (see the log above)");
            }
            drained = System.nanoTime();
            drainerCpu = threadCpuNanos(drainer) - cpu;
            stats = runtime.stats();
        } finally {
            runtime.close();
        }
        long[] counts = counts(dir);
        delete(dir);
        IngestRun ingest = new IngestRun("heap run, raw events on, paced", true, s.threads(), s.heapRate(), out.seconds(),
                stats.accepted(PLUGIN), out.returnedTrue(), (drained - out.startNanos()) / 1e9, stats.rawDropped(PLUGIN),
                counts[0], counts[1], batches.sum(), drainerCpu / 1e9, load);
        return new HeapRun(s.threads(), s.heapRate(), s.firstMark().toMillis() / 1e3, samples, ingest);
    }

    /** The live thread of that name; null when there is none (raw events off). */
    private static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** A thread's CPU time so far; 0 for no thread, or where the JVM does not measure it. */
    static long threadCpuNanos(Thread t) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (t == null || !threads.isThreadCpuTimeSupported()) {
            return 0;
        }
        return Math.max(0, threads.getThreadCpuTime(t.getId()));
    }

    /** Collections by the collector that does full GCs (G1 Old Generation, MarkSweep, ...). */
    private static long fullCollections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (name.contains("Old") || name.contains("MarkSweep") || name.contains("Major")) {
                n += Math.max(0, gc.getCollectionCount());
            }
        }
        return n;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void write(Report report, Path json) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    }

    // --- the tables -------------------------------------------------------------------------------

    /** The ingest table with the limit and the targets, then the heap samples and their verdict. */
    static String render(Report r, boolean markdown) {
        StringBuilder out = new StringBuilder();
        String bullet = markdown ? "- " : "  ";
        if (!r.ingest().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Configuration", "Threads", "Paced at /s", "Published s", "Accepted", "Accepted/s",
                "Persisted rows/s", "Raw dropped", "Rows after close", "Hour rollups' count", "Accounted for",
                "Rows/commit", "Writer CPU µs/row", "Load"});
            for (IngestRun i : r.ingest()) {
                rows.add(ingestRow(i));
            }
            if (r.bare() != null) {
                BareRun b = r.bare();
                rows.add(new String[] {"bare JDBC batch insert (the limit)", "1", "", "", "", "",
                    ResultTable.throughput(b.rowsPerSecond()), "", count(b.rows()), "", "",
                    count(StoreBenchmark.BATCH), String.format(Locale.ROOT, "%.2f", b.cpuMicrosPerRow()),
                    load(b.loadAverage())});
            }
            out.append(markdown ? ResultTable.markdownTable(rows) : ResultTable.textTable(rows));
            out.append(ingestTargets(r, bullet));
        }
        if (r.heap() != null) {
            HeapRun h = r.heap();
            out.append(String.format(Locale.ROOT, "%nHeap after a full GC, %d threads at a constant %,.0f events/s,"
                    + " raw events on:%n", h.threads(), h.rate()));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"At s", "Events accepted", "Heap used MB", "Full GC"});
            for (HeapSample s : h.samples()) {
                rows.add(new String[] {String.format(Locale.ROOT, s.seconds() == Math.rint(s.seconds()) ? "%.0f" : "%.1f",
                        s.seconds()), count(s.accepted()),
                    String.format(Locale.ROOT, "%.2f", s.heapUsedBytes() / 1e6), s.fullGc() ? "yes" : "NOT SEEN"});
            }
            out.append(markdown ? ResultTable.markdownTable(rows) : ResultTable.textTable(rows));
            out.append(heapVerdict(h, bullet));
        }
        return out.toString();
    }

    private static String[] ingestRow(IngestRun i) {
        return new String[] {
            i.name(),
            Integer.toString(i.threads()),
            i.pacedRate() == 0 ? "flat out" : ResultTable.throughput(i.pacedRate()),
            String.format(Locale.ROOT, "%.1f", i.publishSeconds()),
            count(i.accepted()),
            ResultTable.throughput(i.acceptedPerSecond()),
            i.rawEvents() ? ResultTable.throughput(i.persistedPerSecond()) : "rollups only",
            count(i.rawDropped()),
            count(i.rows()),
            count(i.rollupCount()),
            i.accountedFor() ? (i.lost() == 0 ? "yes, zero loss" : "yes, " + count(i.lost()) + " dropped") : "NO",
            i.rawEvents() ? String.format(Locale.ROOT, "%.0f", i.rowsPerBatch()) : "",
            i.rawEvents() ? String.format(Locale.ROOT, "%.2f", i.drainerMicrosPerRow()) : "",
            load(i.loadAverage()),
        };
    }

    private static String ingestTargets(Report r, String bullet) {
        StringBuilder out = new StringBuilder("\nTargets (persisted rows/s with raw events on ÷ the bare batch insert"
                + " of the same run; zero loss):\n");
        BareRun bare = r.bare();
        IngestRun flat = r.run(FLAT_OUT_RAW);
        IngestRun paced = r.run(PACED_RAW);
        if (flat != null && bare != null) {
            out.append(bullet).append(String.format(Locale.ROOT, "flat out: %.2f × bare (%s vs %s rows/s), %s raw events"
                            + " dropped (%.1f%% of accepted): the ring's capacity, not the store, decides the loss when"
                            + " publishers outrun the database; not the target's configuration%n",
                    flat.persistedPerSecond() / bare.rowsPerSecond(), ResultTable.throughput(flat.persistedPerSecond()),
                    ResultTable.throughput(bare.rowsPerSecond()), count(flat.rawDropped()),
                    100.0 * flat.rawDropped() / Math.max(1, flat.accepted())));
        }
        if (paced != null && bare != null) {
            double ratio = paced.persistedPerSecond() / bare.rowsPerSecond();
            boolean met = ratio >= TARGET_RATIO && paced.lost() == 0 && paced.accountedFor();
            out.append(bullet).append(String.format(Locale.ROOT, "paced at %s events/s: %.2f × bare (%s rows/s), lost %s;"
                            + " target ≥ %.2f with zero loss: %s%n", ResultTable.throughput(paced.pacedRate()), ratio,
                    ResultTable.throughput(paced.persistedPerSecond()), count(paced.lost()), TARGET_RATIO,
                    met ? "met" : "MISSED" + shortfall(ratio, paced)));
        }
        for (IngestRun i : r.ingest()) {
            if (!i.accountedFor()) {
                out.append(bullet).append(String.format(Locale.ROOT, "%s: NOT ACCOUNTED FOR: accepted %d, record returned"
                                + " true %d, rows %d + dropped %d, hour rollups %d%n", i.name(), i.accepted(), i.returnedTrue(),
                        i.rows(), i.rawDropped(), i.rollupCount()));
            }
        }
        return out.toString();
    }

    private static String shortfall(double ratio, IngestRun paced) {
        List<String> why = new ArrayList<>();
        if (ratio < TARGET_RATIO) {
            why.add(String.format(Locale.ROOT, "%.0f%% below the rate", 100 * (1 - ratio / TARGET_RATIO)));
        }
        if (paced.lost() > 0) {
            why.add(String.format(Locale.ROOT, "%s of %s accepted not persisted (%.2f%%)", count(paced.lost()),
                    count(paced.accepted()), 100.0 * paced.lost() / Math.max(1, paced.accepted())));
        }
        return why.isEmpty() ? "" : " (" + String.join("; ", why) + ")";
    }

    private static String heapVerdict(HeapRun h, String bullet) {
        List<HeapSample> s = h.samples();
        StringBuilder out = new StringBuilder("\nTarget (heap flat under constant load):\n");
        if (s.size() < 2) {
            return out.append(bullet).append("fewer than two samples: nothing to judge\n").toString();
        }
        HeapSample first = s.stream().filter(x -> x.seconds() >= h.firstMarkSeconds() - 1e-9).findFirst().orElseThrow();
        HeapSample last = s.get(s.size() - 1);
        out.append(bullet).append(String.format(Locale.ROOT, "%.0f s → %.0f s: %.2f → %.2f MB (%+.2f MB over %s events);"
                        + " slope from %.0f s on %+.1f kB/min, %+.3f B/event; target < %.1f B/event: %s%n",
                first.seconds(), last.seconds(), first.heapUsedBytes() / 1e6, last.heapUsedBytes() / 1e6,
                (last.heapUsedBytes() - first.heapUsedBytes()) / 1e6, count(last.accepted() - first.accepted()),
                first.seconds(), h.bytesPerMinute() / 1e3, h.bytesPerEvent(), FLAT_BYTES_PER_EVENT,
                h.flat() ? "met" : "MISSED"));
        IngestRun i = h.ingest();
        out.append(bullet).append(String.format(Locale.ROOT, "the run: accepted %s, raw dropped %s, rows after close %s,"
                        + " hour rollups %s: %s%n", count(i.accepted()), count(i.rawDropped()), count(i.rows()),
                count(i.rollupCount()), i.accountedFor() ? (i.lost() == 0 ? "zero loss" : "accounted for") : "NOT ACCOUNTED FOR"));
        return out.toString();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String load(double l) {
        return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", l);
    }
}
