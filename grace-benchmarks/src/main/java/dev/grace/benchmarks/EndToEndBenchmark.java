package dev.grace.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
            return EndToEndOptions.parse(args);
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
            System.out.print(EndToEndOptions.USAGE);
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
                    IngestRun w = LoadDriver.ingest(root.resolve("warmup"), "warm-up", true, s.threads(), s.warmup(), 0, s.capacity());
                    StoreBenchmark.bareJdbc(root.resolve("warmup-bare"), Math.max(1, w.rows()));
                    delete(root.resolve("warmup"));
                    delete(root.resolve("warmup-bare"));
                }
                IngestRun flat = progress(log, LoadDriver.ingest(root.resolve("flat"), FLAT_OUT_RAW, true, s.threads(), s.run(), 0,
                        s.capacity()));
                delete(root.resolve("flat"));
                double load = loadAverage();
                long rows = Math.max(1, flat.rows());
                long cpu = LoadDriver.threadCpuNanos(Thread.currentThread());
                double bareRate = StoreBenchmark.bareJdbc(root.resolve("bare"), rows);
                bare = new BareRun(rows, rows / bareRate, (LoadDriver.threadCpuNanos(Thread.currentThread()) - cpu) / 1e9, load);
                log.printf(Locale.ROOT, "  bare JDBC batch insert: %,d rows, %,.0f rows/s%n", rows, bare.rowsPerSecond());
                delete(root.resolve("bare"));
                double rate = s.paced() * bare.rowsPerSecond();
                ingest.add(flat);
                ingest.add(progress(log, LoadDriver.ingest(root.resolve("paced"), PACED_RAW, true, s.threads(), s.run(), rate,
                        s.capacity())));
                delete(root.resolve("paced"));
                ingest.add(progress(log, LoadDriver.ingest(root.resolve("off"), FLAT_OUT_ROLLUPS, false, s.threads(), s.run(), 0,
                        s.capacity())));
                delete(root.resolve("off"));
            }
            HeapRun heap = s.heap() ? HeapOverTime.run(root.resolve("heap"), s, log) : null;
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

    /** The ingest table with the limit and the targets, then the heap samples and their verdict. */
    static String render(Report r, boolean markdown) {
        return EndToEndTables.render(r, markdown);
    }
}
