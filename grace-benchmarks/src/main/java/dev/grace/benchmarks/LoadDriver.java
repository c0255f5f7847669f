package dev.grace.benchmarks;

import static dev.grace.benchmarks.EndToEndBenchmark.PLUGIN;
import static dev.grace.benchmarks.EndToEndBenchmark.loadAverage;

import dev.grace.benchmarks.EndToEndBenchmark.IngestRun;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.config.GraceConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link EndToEndBenchmark}'s load driver: publisher threads into a started runtime on a fresh H2
 * file store, then the database opened again and counted after the runtime closed, so that what is
 * reported is what was persisted, not what the runtime believes it persisted.
 */
final class LoadDriver {

    private LoadDriver() {
    }

    /** A fresh H2 file database under {@code dir}, as the runtime creates it by default. */
    static GraceConfig config(Path dir, boolean rawEvents, int capacity) {
        return GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of()).withNodeId("bench")
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), rawEvents, capacity));
    }

    static GraceRuntime started(Path dir, boolean rawEvents, int capacity, BenchPlugin plugin,
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
    static IngestRun ingest(Path dir, String name, boolean rawEvents, int threads, Duration length, double rate,
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
        String url = "jdbc:h2:async:" + dir.toAbsolutePath().normalize().resolve("store/grace") + ";AUTO_SERVER=TRUE";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            long rows;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM metric_events")) {
                rs.next();
                rows = rs.getLong(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(count), 0) FROM metrics_rollups WHERE period = 'hour'"
                    + " AND series = ''")) {
                rs.next();
                return new long[] {rows, rs.getLong(1)};
            }
        }
    }

    /** The live thread of that name; null when there is none (raw events off). */
    static Thread thread(String name) {
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
}
