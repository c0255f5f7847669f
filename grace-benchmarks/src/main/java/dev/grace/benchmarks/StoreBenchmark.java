package dev.grace.benchmarks;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.api.MetricPublisher;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.internal.rollup.Stripes;
import dev.grace.store.GraceStore;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.extension.CommitLatency;
import dev.grace.runtime.extension.ExtensionContext;
import dev.grace.runtime.extension.RuntimeExtension;
import dev.grace.runtime.extension.StoreService;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyIn;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The store's performance figures, measured side by side in one run on this machine:
 * <ol>
 *   <li>raw events persisted into H2 file mode through Grace (publish → ring → raw-event thread →
 *       store writer) against a bare JDBC batch insert of the same rows into the same schema, same batch size;</li>
 *   <li>with a PostgreSQL URL, the same through Grace (binary {@code COPY}) against a bare {@code COPY}
 *       of the same rows into the same schema, in binary and in text, the faster of the two being the bar;</li>
 *   <li>the median time of a 30-day hourly rollup query for one KPI on H2.</li>
 * </ol>
 * Each round measures the bare limit, then Grace twice on fresh databases with the runtime's default
 * configuration (raw events on, default ring): <b>sustained</b>, the publisher paced by what the store
 * has committed (at most {@link #IN_FLIGHT} raw events in between: the store's own rate), and
 * <b>paced</b>, a constant {@link #PACED} × the round's limit. The verdict is the paced run's persisted
 * rate ÷ the limit, with rows after close = values accepted (what the ring dropped is the loss).
 * Run: {@code mvn -B -q -pl grace-benchmarks -am package -DskipTests && java -cp grace-benchmarks/target/benchmarks.jar dev.grace.benchmarks.StoreBenchmark}
 * (arguments: events per round, default 500000; rounds, default 5, the first warming up; {@code --postgres URL}
 * or {@code -Dgrace.bench.postgres.url=URL} for PostgreSQL; {@code --quick}: 150000 events, 3 rounds; {@code --out DIR}:
 * write {@code store-ingest-result.json} there for {@link Verdicts}).
 */
public final class StoreBenchmark {

    static final int BATCH = 4096;
    /**
     * Raw events published and not yet committed, at most, in the sustained run: half of what one lane
     * of the default ring holds (its capacity ÷ {@link Stripes#COUNT}; one publishing thread fills one
     * lane), so that the run measures the store's rate and the ring never drops. Eight batches (32,768)
     * was more than a lane of 16,384 on 2 cores, and every sustained run dropped the difference.
     */
    static final int IN_FLIGHT = GraceConfig.defaults().publisher().rawEventCapacity() / Stripes.COUNT / 2;
    /** The constant rate of the paced run, as a share of the round's bare limit: above 0.8, so pacing's granularity cannot decide. */
    static final double PACED = 0.85;
    /** Every column Grace writes, the series too (V7): the bare limits write the same rows into the same schema. */
    private static final String COLUMNS = "metric_events (node, domain, kpi, series, event_value, event_time, metadata)";

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        String pgUrl = System.getProperty("grace.bench.postgres.url", "");
        boolean quick = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--postgres" -> pgUrl = args[++i];
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("StoreBenchmark [--quick] [--postgres JDBC_URL] [--out DIR] [events-per-round [rounds]]"
                            + " (default 500000 5, quick 150000 3; DIR gets " + Verdicts.STORE_RESULT + ")");
                    return;
                }
                default -> positional.add(args[i]);
            }
        }
        int events = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : quick ? 150_000 : 500_000;
        int rounds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : quick ? 3 : 5;
        Path root = Files.createTempDirectory("grace-store-bench-");
        String startedAt = Instant.now().toString();
        List<Summary> summaries = new ArrayList<>();
        summaries.add(h2(root, events, rounds));
        if (!pgUrl.isBlank()) {
            summaries.add(postgres(root, pgUrl, events, rounds));
        }
        System.out.println();
        summaries.forEach(r -> System.out.println(r.verdict()));
        if (pgUrl.isBlank()) {
            System.out.println("raw events into PostgreSQL: not measured (no --postgres URL; run.sh starts one)");
        }
        if (out != null) {
            write(out.resolve(Verdicts.STORE_RESULT), startedAt, quick, summaries);
        }
        query(root.resolve("query"));
        EndToEndBenchmark.delete(root);
    }

    private static Summary h2(Path root, int events, int rounds) throws Exception {
        return compare("h2", "raw events into H2 file mode", "batch insert", events, rounds, new Store() {
            @Override
            public double bare(int round, StringBuilder detail) throws Exception {
                return bareJdbc(root.resolve("bare-" + round), events);
            }

            @Override
            public Target fresh(String name) {
                Path dir = root.resolve(name);
                return new Target(h2Config(dir), () -> h2Connection(dir));
            }
        });
    }

    private static Summary postgres(Path root, String url, int events, int rounds) throws Exception {
        Summary verdict = compare("postgresql", "raw events into PostgreSQL", "COPY", events, rounds, new Store() {
            @Override
            public double bare(int round, StringBuilder detail) throws Exception {
                double binary = barePostgres(freshSchema(url, "bench_binary"), events, true);
                double text = barePostgres(freshSchema(url, "bench_text"), events, false);
                detail.append(String.format(Locale.ROOT, " (binary %,.0f, text %,.0f: the faster is the bar)", binary, text));
                return Math.max(binary, text);
            }

            @Override
            public Target fresh(String name) throws Exception {
                String schemaUrl = freshSchema(url, "bench_grace");
                GraceConfig config = h2Config(root.resolve("pg-" + name)) // its data directory; the store is the URL
                        .withStore(GraceConfig.Store.defaults().withUrl(schemaUrl));
                return new Target(config, () -> DriverManager.getConnection(schemaUrl));
            }
        });
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String schema : List.of("bench_binary", "bench_text", "bench_grace")) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        return verdict;
    }

    /** One database: its bare limit, and a fresh database for a run through Grace. */
    private interface Store {
        /** Rows per second of the bare limit into a fresh database; what it was made of goes to {@code detail}. */
        double bare(int round, StringBuilder detail) throws Exception;

        Target fresh(String name) throws Exception;
    }

    /** A runtime's configuration with a fresh store, and how to count that store's rows after close. */
    private record Target(GraceConfig config, Rows rows) {
    }

    /**
     * Per round: the bare limit; Grace with publishing paced by what the store has committed (its
     * sustained rate); Grace at a constant {@link #PACED} × the round's limit, with the runtime's
     * default ring. The verdict is the paced run's: persisted rate ≥ 0.8 × the limit with rows = accepted.
     */
    private static Summary compare(String vendor, String what, String bar, int events, int rounds, Store store)
            throws Exception {
        double bare = 0;
        double sustained = 0;
        double paced = 0;
        long lost = 0;
        long accepted = 0;
        long rows = 0;
        long dropped = 0;
        int counted = 0;
        for (int round = 1; round <= rounds; round++) {
            StringBuilder detail = new StringBuilder();
            double b = store.bare(round, detail);
            Run s = throughGrace(store.fresh("grace-" + round), events, 0);
            Run p = throughGrace(store.fresh("paced-" + round), events, PACED * b);
            System.out.printf(Locale.ROOT, "%s, round %d: bare %s %,.0f rows/s%s; Grace sustained %,.0f rows/s (%.2f x),"
                            + " rows %,d = accepted %,d; paced at %,.0f/s: %,.0f rows/s (%.2f x), rows %,d, accepted %,d,"
                            + " lost %,d%n", what, round, bar, b, detail, s.rate(), s.rate() / b, s.rows(), s.accepted(),
                    PACED * b, p.rate(), p.rate() / b, p.rows(), p.accepted(), p.lost());
            if (round > 1 || rounds == 1) { // the first round warms up the JIT
                bare += b;
                sustained += s.rate();
                paced += p.rate();
                lost += p.lost() + s.lost();
                accepted += p.accepted();
                rows += p.rows();
                dropped += p.dropped();
                counted++;
            }
        }
        double ratio = paced / bare;
        String verdict = String.format(Locale.ROOT, "%s, rounds %s: Grace paced at %.2f x / bare %s = %.2f, lost %,d"
                        + " (target >= 0.80 with zero loss): %s; sustained %.2f x", what, rounds == 1 ? "1" : "2-" + rounds,
                PACED, bar, ratio, lost, ratio >= 0.8 && lost == 0 ? "MET" : "NOT MET", sustained / bare);
        return new Summary(vendor, bar, bare / counted, PACED * bare / counted, paced / counted, sustained / counted,
                accepted, rows, dropped, verdict);
    }

    /** The paced runs of rounds 2..n of one database, averaged (rates) or summed (counts), as Verdicts reads them. */
    private record Summary(String vendor, String bare, double bareRowsPerSecond, double pacedRate,
                           double persistedRowsPerSecond, double sustainedRowsPerSecond, long accepted, long rows,
                           long rawDropped, String verdict) {
    }

    private static void write(Path file, String startedAt, boolean quick, List<Summary> summaries) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("commit", System.getProperty("grace.commit", "unknown"));
        root.put("startedAt", startedAt);
        root.put("mode", quick ? "quick" : "full");
        ArrayNode runs = root.putArray("runs");
        for (Summary r : summaries) {
            runs.addObject().put("vendor", r.vendor()).put("bare", r.bare())
                    .put("bareRowsPerSecond", r.bareRowsPerSecond()).put("pacedRate", r.pacedRate())
                    .put("persistedRowsPerSecond", r.persistedRowsPerSecond())
                    .put("sustainedRowsPerSecond", r.sustainedRowsPerSecond())
                    .put("accepted", r.accepted()).put("rows", r.rows()).put("rawDropped", r.rawDropped());
        }
        Files.createDirectories(file.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** A fresh H2 file database with Grace's schema, as the runtime would create it. */
    private static GraceConfig h2Config(Path dir) {
        return GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of()).withNodeId("bench"); // default ring
    }

    private static Connection h2Connection(Path dir) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:async:" + dir.toAbsolutePath().normalize().resolve("store/grace"));
    }

    /** An empty schema named {@code schema} (dropped first) with Grace's tables; its URL. */
    static String freshSchema(String url, String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (GraceStore store = GraceStore.open(GraceConfig.defaults().withStore(GraceConfig.Store.defaults()
                .withUrl(schemaUrl)))) {
            store.migrate();
        }
        return schemaUrl;
    }

    /**
     * The limit Grace's raw-event path is measured against: {@code events} rows into a fresh H2 file
     * database under {@code dir} with Grace's schema, over one connection, in JDBC batches of
     * {@link #BATCH} with one commit each.
     *
     * @return rows per second
     */
    static double bareJdbc(Path dir, long events) throws Exception {
        try (GraceStore store = GraceStore.open(h2Config(dir))) {
            store.migrate();
        }
        try (Connection c = h2Connection(dir)) { // as the store opens it
            c.setAutoCommit(false);
            long start = System.nanoTime();
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + COLUMNS + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (long i = 0; i < events; i++) {
                    ps.setString(1, "bench");
                    ps.setString(2, "bench");
                    ps.setString(3, RecordBenchmark.KPI_NAME);
                    ps.setString(4, ""); // the KPI's total, as Grace's record(kpi, v) stores it
                    ps.setDouble(5, i % 1000);
                    ps.setLong(6, now + i / 1000);
                    ps.setString(7, null);
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

    /**
     * The limit on PostgreSQL: {@code events} rows into the schema of {@code url}, over one connection,
     * one {@code COPY} (binary or text) of {@link #BATCH} rows per transaction. The rows are encoded
     * here, in the simplest form of each format, from the same values Grace is given.
     *
     * @return rows per second
     */
    static double barePostgres(String url, long events, boolean binary) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            String sql = "COPY " + COLUMNS + " FROM STDIN" + (binary ? " (FORMAT binary)" : "");
            byte[] node = "bench".getBytes(StandardCharsets.UTF_8);
            byte[] kpi = RecordBenchmark.KPI_NAME.getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(1 << 20);
            long start = System.nanoTime();
            long now = System.currentTimeMillis();
            for (long from = 0; from < events; from += BATCH) {
                out.clear();
                if (binary) {
                    out.put(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0}).putInt(0).putInt(0);
                }
                for (long i = from; i < Math.min(events, from + BATCH); i++) {
                    if (binary) {
                        out.putShort((short) 7);
                        out.putInt(node.length).put(node);
                        out.putInt(node.length).put(node); // the domain is "bench" too
                        out.putInt(kpi.length).put(kpi);
                        out.putInt(0); // the series: "", the KPI's total
                        out.putInt(8).putDouble(i % 1000);
                        out.putInt(8).putLong(now + i / 1000);
                        out.putInt(-1);
                    } else {
                        out.put(node).put((byte) '\t').put(node).put((byte) '\t').put(kpi).put((byte) '\t')
                                .put((byte) '\t'); // the series, empty
                        ascii(out, Double.toString(i % 1000)).put((byte) '\t');
                        ascii(out, Long.toString(now + i / 1000)).put((byte) '\t');
                        out.put((byte) '\\').put((byte) 'N').put((byte) '\n');
                    }
                }
                if (binary) {
                    out.putShort((short) -1);
                }
                CopyIn in = copy.copyIn(sql);
                in.writeToCopy(out.array(), 0, out.position());
                in.endCopy();
                c.commit();
            }
            return events * 1e9 / (System.nanoTime() - start);
        }
    }

    private static ByteBuffer ascii(ByteBuffer out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.put((byte) s.charAt(i));
        }
        return out;
    }

    /** Opens a connection to the database a run writes into, to count its rows. */
    private interface Rows {
        Connection connect() throws SQLException;
    }

    /** A run through Grace: persisted rows per second, and what was accepted, stored and lost. */
    private record Run(double rate, long accepted, long rows, long dropped) {
        long lost() {
            return accepted - rows;
        }
    }

    /**
     * Publishes {@code events} values through a runtime with the store of {@code target} and waits until
     * every raw event is stored: at {@code rate} per second on a schedule (what is due by the elapsed
     * time), or, with {@code rate} 0, paced by what the store has committed (at most {@link #IN_FLIGHT}
     * in between).
     *
     * @return rows per second from the first publish to the last commit, with the rows counted after close
     */
    private static Run throughGrace(Target target, int events, double rate) throws Exception {
        BenchPlugin plugin = new BenchPlugin();
        Committed committed = new Committed();
        double persisted;
        long accepted;
        long dropped;
        try (GraceRuntime runtime = GraceRuntime.builder().config(target.config()).discoverClasspath(false)
                .plugin(plugin).extension(committed).build().start()) {
            MetricPublisher p = plugin.context.publisher();
            CommitLatency commits = committed.latency;
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                if ((i & 255) == 0) {
                    if (rate > 0) {
                        while (i > (System.nanoTime() - start) * rate / 1e9) {
                            LockSupport.parkNanos(100_000);
                        }
                    } else {
                        while (i - commits.events() > IN_FLIGHT) {
                            LockSupport.parkNanos(50_000); // not spinning: on two cores the writer needs the other
                        }
                    }
                }
                p.record(BenchPlugin.LATENCY, i % 1000);
            }
            if (!runtime.awaitRawEvents(Duration.ofMinutes(5))) {
                throw new IllegalStateException("raw events not persisted within 5 minutes");
            }
            persisted = commits.events() * 1e9 / (System.nanoTime() - start);
            accepted = runtime.stats().accepted("bench");
            dropped = runtime.stats().rawDropped("bench");
        }
        try (Connection c = target.rows().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM metric_events")) {
            rs.next();
            return new Run(persisted, accepted, rs.getLong(1), dropped);
        }
    }

    /** Gives the benchmark the store's count of committed raw events, to pace publishing by. */
    private static final class Committed implements RuntimeExtension {
        volatile CommitLatency latency;

        @Override
        public String name() {
            return "bench-committed";
        }

        @Override
        public List<String> requires() {
            return List.of("store");
        }

        @Override
        public void start(ExtensionContext context) {
            latency = context.service(StoreService.class).map(StoreService::commitLatency)
                    .orElseThrow(() -> new IllegalStateException("the store stores no raw events"));
        }
    }

    private static void query(Path dir) throws Exception {
        GraceConfig config = h2Config(dir);
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
                        + " WHERE domain = ? AND kpi = ? AND period = ? AND series = '' AND period_start >= ?"
                        + " ORDER BY period_start, node")) {
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
