package dev.grace.benchmarks;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.api.MetricPublisher;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.store.GraceStore;
import dev.grace.runtime.store.Period;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The store's two performance figures, measured side by side in one run on this machine:
 * <ol>
 *   <li>raw events persisted into H2 file mode through Grace (publish → ring → raw-event thread →
 *       Jdbi batch) against a bare JDBC batch insert of the same rows into the same table, same batch size;</li>
 *   <li>the median time of a 30-day hourly rollup query for one KPI on H2.</li>
 * </ol>
 * Run: {@code mvn -B -q -pl grace-benchmarks -am package -DskipTests && java -cp grace-benchmarks/target/benchmarks.jar dev.grace.benchmarks.StoreBenchmark}
 * (arguments: events per round, default 500000; rounds, default 5, the first warming up).
 */
public final class StoreBenchmark {

    static final int BATCH = 4096;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        Path root = Files.createTempDirectory("grace-store-bench-");
        double bare = 0;
        double grace = 0;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int round = 1; round <= rounds; round++) {
            double b = bareJdbc(root.resolve("bare-" + round), events);
            double g = throughGrace(root.resolve("grace-" + round), events);
            System.out.printf(Locale.ROOT, "round %d: bare JDBC %,.0f rows/s, Grace %,.0f rows/s, ratio %.2f%n",
                    round, b, g, g / b);
            if (round > 1) { // the first round warms up the JIT
                bare += b;
                grace += g;
            }
        }
        System.out.printf(Locale.ROOT, "raw events into H2 file mode, rounds 2-%d: Grace / bare JDBC = %.2f"
                + " (target >= 0.80)%n", rounds, grace / bare);
        query(root.resolve("query"));
    }

    /** A fresh H2 file database with Grace's schema, as the runtime would create it. */
    private static GraceConfig config(Path dir) {
        return GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of()).withNodeId("bench")
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), true, 1 << 20));
    }

    /**
     * The limit Grace's raw-event path is measured against: {@code events} rows into a fresh H2 file
     * database under {@code dir} with Grace's schema, over one connection, in JDBC batches of
     * {@link #BATCH} with one commit each.
     *
     * @return rows per second
     */
    static double bareJdbc(Path dir, long events) throws Exception {
        try (GraceStore store = GraceStore.open(config(dir))) {
            store.migrate();
        }
        String url = "jdbc:h2:async:" + dir.toAbsolutePath().normalize().resolve("store/grace"); // as the store opens it
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO metric_events (node, domain, kpi, event_value,"
                    + " event_time, metadata) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (long i = 0; i < events; i++) {
                    ps.setString(1, "bench");
                    ps.setString(2, "bench");
                    ps.setString(3, RecordBenchmark.KPI_NAME);
                    ps.setDouble(4, i % 1000);
                    ps.setLong(5, now + i / 1000);
                    ps.setString(6, null);
                    ps.addBatch();
                    if ((i + 1) % BATCH == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            return events * 1e9 / (System.nanoTime() - start);
        }
    }

    private static double throughGrace(Path dir, int events) {
        BenchPlugin plugin = new BenchPlugin();
        try (GraceRuntime runtime = GraceRuntime.builder().config(config(dir)).discoverClasspath(false)
                .plugin(plugin).build().start()) {
            MetricPublisher p = plugin.context.publisher();
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                p.record(BenchPlugin.LATENCY, i % 1000);
            }
            if (!runtime.awaitRawEvents(Duration.ofMinutes(5))) {
                throw new IllegalStateException("raw events not persisted within 5 minutes");
            }
            double rate = events * 1e9 / (System.nanoTime() - start);
            if (runtime.stats().rawDropped("bench") != 0) {
                throw new IllegalStateException("raw events dropped; raise the capacity");
            }
            return rate;
        }
    }

    private static void query(Path dir) throws Exception {
        GraceConfig config = config(dir);
        try (GraceStore store = GraceStore.open(config)) {
            store.migrate();
        }
        long now = System.currentTimeMillis();
        long firstHour = Period.HOUR.start(now) - 30L * 24 * 3_600_000L;
        String url = "jdbc:h2:async:" + dir.toAbsolutePath().normalize().resolve("store/grace"); // as the store opens it
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO metrics_rollups (node, domain, kpi, period, period_start, count, sum, min, max,"
                        + " sum_of_squares, sketch, updated_at) VALUES (?, ?, ?, 'hour', ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (String kpi : List.of(RecordBenchmark.KPI_NAME, "other1", "other2", "other3")) {
                for (int h = 0; h <= 30 * 24; h++) {
                    DDSketch sketch = Sketches.newSketch();
                    for (int i = 1; i <= 1000; i++) {
                        sketch.accept(i * (1 + h % 7));
                    }
                    HourlyRollup r = HourlyRollup.of("bench", kpi, firstHour + h * 3_600_000L, 1000, 500_500,
                            1, 1000, 1e8, sketch);
                    ps.setString(1, "bench");
                    ps.setString(2, "bench");
                    ps.setString(3, kpi);
                    ps.setLong(4, r.hourStart().toEpochMilli());
                    ps.setLong(5, r.count());
                    ps.setDouble(6, r.sum());
                    ps.setDouble(7, r.min());
                    ps.setDouble(8, r.max());
                    ps.setDouble(9, r.sumOfSquares());
                    ps.setBytes(10, r.sketchEncoded());
                    ps.setLong(11, now);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (GraceStore store = GraceStore.open(config)) {
            Instant since = Instant.ofEpochMilli(firstHour);
            for (int i = 0; i < 200; i++) {
                store.rollups("bench", RecordBenchmark.KPI_NAME, Period.HOUR, since); // warm-up
            }
            long[] nanos = new long[500];
            int rows = 0;
            for (int i = 0; i < nanos.length; i++) {
                long t = System.nanoTime();
                rows = store.rollups("bench", RecordBenchmark.KPI_NAME, Period.HOUR, since).size();
                nanos[i] = System.nanoTime() - t;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "30-day hourly rollup query, one KPI (%d rows) on H2: median %.2f ms,"
                    + " p90 %.2f ms (target median < 5 ms)%n", rows, nanos[nanos.length / 2] / 1e6,
                    nanos[nanos.length * 9 / 10] / 1e6);
        }
        // The floor: the same rows read with bare JDBC, sketches left undecoded.
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                "SELECT node, domain, kpi, period_start, count, sum, min, max, sum_of_squares, sketch FROM metrics_rollups"
                        + " WHERE domain = ? AND kpi = ? AND period = ? AND period_start >= ? ORDER BY period_start, node")) {
            long[] nanos = new long[500];
            for (int i = -200; i < nanos.length; i++) {
                long t = System.nanoTime();
                ps.setString(1, "bench");
                ps.setString(2, RecordBenchmark.KPI_NAME);
                ps.setString(3, "hour");
                ps.setLong(4, firstHour);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                        rs.getLong(4);
                        rs.getBytes(10);
                    }
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t;
                }
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "  the same rows read with bare JDBC (no sketch decoding): median %.2f ms%n",
                    nanos[nanos.length / 2] / 1e6);
        }
    }
}
