package dev.grace.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Reading cognition over a month of data: 8 domains × 5 KPIs with 30 days of hourly rollups, every
 * hour evaluated ({@link CognitionDataSet}), in one started runtime on an H2 file store.
 *
 * <ol>
 *   <li><b>In process, one thread</b>: {@code cognition.status()} (every domain scored for the
 *       current hour from the store) and {@code cognition.readiness()} (every benchmark's latest
 *       judgement), each called back to back for a fixed time after a warm-up, every call's latency
 *       recorded; beside them the floor, the one SQL statement that reads the hour's rollups for
 *       {@code status()}, run with bare JDBC on the same database.</li>
 *   <li><b>Over HTTP</b>: {@code GET /api/cognition/status} and {@code GET /metrics} from the
 *       runtime's admin server, each under {@code --clients} (50) closed-loop clients on loopback
 *       ({@link HttpLoad}), against the targets p95 &lt; 10 ms and p95 &lt; 20 ms; then each at a
 *       constant {@code --rate} (1,000 requests/s) over {@value #PACED_CONNECTIONS} connections,
 *       latency counted from each request's intended send time ({@link HttpLoad#paced}), for
 *       p50/p99/p99.9 without coordinated omission.</li>
 * </ol>
 *
 * <pre>{@code java -cp benchmarks.jar dev.grace.benchmarks.CognitionBenchmark [--quick] [options]}</pre>
 * ({@code run.sh --query} runs it; {@code --help} lists the options.)
 */
public final class CognitionBenchmark {

    static final String STATUS_PATH = "/api/cognition/status";
    static final String METRICS_PATH = "/metrics";
    /** p95 targets under load, from the HTTP issue. */
    static final double STATUS_P95_TARGET_MS = 10;
    static final double METRICS_P95_TARGET_MS = 20;
    /** Connections the constant-rate part spreads its schedule over. */
    static final int PACED_CONNECTIONS = 4;

    static final String STATUS = "status(hour): computed";
    static final String STATUS_CACHED = "status(): per flush";
    static final String READINESS = "readiness()";
    static final String HOUR_SQL = "bare SQL: the hour's rollups";
    /** What {@code CognitionDao.hour} runs for {@code status()}: every KPI's figures in one hour, merged across nodes. */
    static final String HOUR_QUERY = "SELECT domain, kpi, SUM(count), SUM(sum), SUM(sum_of_squares), MIN(min), MAX(max)"
            + " FROM metrics_rollups WHERE period = 'hour' AND series = '' AND period_start = ? GROUP BY domain, kpi";

    private CognitionBenchmark() {
    }

    /** What to run. */
    record Settings(int days, int clients, double rate, Duration warmup, Duration run, boolean query, boolean http,
                    Path out, boolean markdown, String mode) {

        /**
         * Reads the command line: the mode's defaults, then each option given.
         *
         * @throws IllegalArgumentException naming the option and what it takes
         */
        static Settings parse(String... args) {
            return CognitionOptions.parse(args);
        }
    }

    /**
     * What the data set holds, counted in the store after it was built.
     *
     * @param hourRows        {@code metrics_rollups} rows of period {@code hour}
     * @param allRollupRows   every {@code metrics_rollups} row (hours, days, weeks)
     * @param benchmarkRows   {@code benchmark_history} rows
     * @param readinessEvents {@code saas_readiness_events} rows
     */
    record DataSet(int domains, int kpisPerDomain, int days, int hours, int valuesPerHour, long accepted,
                   long evaluatedHours, long hourRows, long allRollupRows, long benchmarkRows, long readinessEvents,
                   double buildSeconds) {
    }

    /** One in-process call, timed back to back on one thread. */
    record Call(String name, double seconds, HttpLoad.Latency latency) {
    }

    /** Everything one invocation measured, as written to JSON. */
    record Report(String startedAt, String commit, String mode, int cores, String jvm, DataSet data, List<Call> calls,
                  List<HttpLoad.Result> http, List<HttpLoad.PacedResult> paced, double loadBefore, double loadAfter) {

        HttpLoad.Result endpoint(String path) {
            return http.stream().filter(r -> r.path().equals(path)).findFirst().orElse(null);
        }
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(CognitionOptions.USAGE);
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("CognitionBenchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = run(settings, System.out);
        Files.createDirectories(settings.out());
        Path json = settings.out().resolve("cognition-result.json");
        write(report, json);
        System.out.println();
        System.out.print(render(report, settings.markdown()));
        System.out.println("\nJSON: " + json);
    }

    /** Builds the data set, then measures what the settings ask for, printing progress to {@code log}. */
    static Report run(Settings s, PrintStream log) throws Exception {
        String startedAt = Instant.now().toString();
        double loadBefore = EndToEndBenchmark.loadAverage();
        Path root = Files.createTempDirectory("grace-cognition-");
        try {
            log.printf(Locale.ROOT, "building %d days of hourly rollups for %d domains × %d KPIs ...%n", s.days(),
                    CognitionDataSet.DOMAINS.size(), HostPlugin.KPIS.size());
            try (CognitionDataSet data = CognitionDataSet.build(root.resolve("store"), s.days(), log)) {
                String url = "jdbc:h2:async:" + data.dir.toAbsolutePath().normalize().resolve("store/grace")
                        + ";AUTO_SERVER=TRUE";
                // The same database the runtime holds: in one JVM, H2 hands both the same engine.
                try (Connection jdbc = DriverManager.getConnection(url)) {
                    DataSet facts = facts(data, jdbc);
                    log.printf(Locale.ROOT, "  built in %.1f s: %,d values accepted, %,d hourly rows, %,d hours"
                                    + " evaluated, %,d benchmark rows, %,d readiness events%n", facts.buildSeconds(),
                            facts.accepted(), facts.hourRows(), facts.evaluatedHours(), facts.benchmarkRows(),
                            facts.readinessEvents());
                    List<Call> calls = new ArrayList<>();
                    if (s.query()) {
                        check(data.cognition.status(), data.cognition.readiness(), data);
                        // status(hour) scores every domain afresh; status() is what readers get: computed
                        // once per store flush and then served from memory
                        java.time.Instant open = data.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
                        calls.add(CallTimer.progress(log, CallTimer.time(STATUS, s, () -> data.cognition.status(open))));
                        calls.add(CallTimer.progress(log, CallTimer.time(STATUS_CACHED, s, data.cognition::status)));
                        calls.add(CallTimer.progress(log, CallTimer.time(READINESS, s, data.cognition::readiness)));
                        long hour = data.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).toEpochMilli();
                        try (PreparedStatement ps = jdbc.prepareStatement(HOUR_QUERY)) {
                            calls.add(CallTimer.progress(log, CallTimer.time(HOUR_SQL, s,
                                    () -> CallTimer.hourRows(ps, hour))));
                        }
                    }
                    List<HttpLoad.Result> http = new ArrayList<>();
                    List<HttpLoad.PacedResult> paced = new ArrayList<>();
                    if (s.http()) {
                        URI base = data.runtime.adminEndpoint().orElseThrow(() ->
                                new IllegalStateException("the admin HTTP server is not running"));
                        checkHttp(base, data);
                        for (String path : List.of(STATUS_PATH, METRICS_PATH)) {
                            log.printf(Locale.ROOT, "  GET %s: %d clients, %d s warm-up, %d s measured ...%n", path,
                                    s.clients(), s.warmup().toSeconds(), s.run().toSeconds());
                            HttpLoad.Result r = HttpLoad.run(base, path, s.clients(), s.warmup(), s.run());
                            log.printf(Locale.ROOT, "    %,d requests, %,.0f/s, p95 %.2f ms, %d errors%n", r.requests(),
                                    r.requestsPerSecond(), r.latency().p95(), r.errors());
                            http.add(r);
                        }
                        if (s.rate() > 0) {
                            for (String path : List.of(STATUS_PATH, METRICS_PATH)) {
                                log.printf(Locale.ROOT, "  GET %s at %,.0f requests/s over %d connections, %d s warm-up,"
                                        + " %d s measured ...%n", path, s.rate(), PACED_CONNECTIONS, s.warmup().toSeconds(),
                                        s.run().toSeconds());
                                HttpLoad.PacedResult r = HttpLoad.paced(base, path, PACED_CONNECTIONS, s.rate(), s.warmup(),
                                        s.run());
                                log.printf(Locale.ROOT, "    %,d requests, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %,d late,"
                                        + " %d errors%n", r.requests(), r.latency().p50(), r.latency().p99(),
                                        r.latency().p999(), r.late(), r.errors());
                                paced.add(r);
                            }
                        }
                    }
                    return new Report(startedAt, System.getProperty("grace.commit", "unknown"), s.mode(),
                            Runtime.getRuntime().availableProcessors(),
                            Runtime.version() + " " + System.getProperty("java.vm.name"), facts, calls, http, paced,
                            loadBefore,
                            EndToEndBenchmark.loadAverage());
                }
            }
        } finally {
            EndToEndBenchmark.delete(root);
        }
    }

    private static DataSet facts(CognitionDataSet data, Connection jdbc) throws Exception {
        try (Statement st = jdbc.createStatement()) {
            return new DataSet(CognitionDataSet.DOMAINS.size(), HostPlugin.KPIS.size(), data.days, data.hours(),
                    CognitionDataSet.VALUES_PER_HOUR, data.accepted, data.evaluatedHours,
                    count(st, "SELECT COUNT(*) FROM metrics_rollups WHERE period = 'hour'"),
                    count(st, "SELECT COUNT(*) FROM metrics_rollups"),
                    count(st, "SELECT COUNT(*) FROM benchmark_history"),
                    count(st, "SELECT COUNT(*) FROM saas_readiness_events"), data.buildSeconds);
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The calls measure what they name only if they find the data set: every domain scored, every benchmark judged. */
    static void check(Status status, Readiness readiness, CognitionDataSet data) {
        if (!status.open() || status.domains().size() != CognitionDataSet.DOMAINS.size()
                || status.domains().stream().map(DomainStatus::scores).anyMatch(sc -> sc.health() == null)
                || status.overall().health() == null) {
            throw new IllegalStateException("status() does not score every domain in the current hour: " + status);
        }
        int benchmarks = 3 + CognitionDataSet.DOMAINS.size(); // three overall ones, and domain_health per domain
        if (readiness.hour() == null || !readiness.hour().equals(data.cognition.lastEvaluatedHour().orElse(null))
                || readiness.benchmarks().size() != benchmarks) {
            throw new IllegalStateException("readiness() does not judge the " + benchmarks + " benchmarks at the last"
                    + " evaluated hour: " + readiness);
        }
    }

    /** One answer from each endpoint, read and checked before the load: they serve the data set's figures. */
    private static void checkHttp(URI base, CognitionDataSet data) throws Exception {
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        try (HttpLoad.Connection c = new HttpLoad.Connection(address, STATUS_PATH)) {
            if (c.get() != 200) {
                throw new IllegalStateException(STATUS_PATH + " answered " + new String(c.body(), StandardCharsets.UTF_8));
            }
            JsonNode status = new ObjectMapper().readTree(c.body());
            if (status.path("domains").size() != CognitionDataSet.DOMAINS.size()) {
                throw new IllegalStateException(STATUS_PATH + " does not list the " + CognitionDataSet.DOMAINS.size()
                        + " domains: " + status);
            }
        }
        // /metrics serves the scores from a snapshot read off the request threads: wait for its first read
        String text = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            try (HttpLoad.Connection c = new HttpLoad.Connection(address, METRICS_PATH)) {
                text = c.get() == 200 ? new String(c.body(), StandardCharsets.UTF_8) : "";
            }
            if (text.contains("grace_cognition_score_ratio{")) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        for (String d : CognitionDataSet.DOMAINS) {
            if (!text.contains("grace_cognition_score_ratio{domain=\"" + d + "\",score=\"health\"}")) {
                throw new IllegalStateException(METRICS_PATH + " has no health score for " + d + ": " + text);
            }
        }
    }

    static void write(Report report, Path json) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    }

    /** The in-process table, the HTTP table, and the targets with their verdicts. */
    static String render(Report r, boolean markdown) {
        return CognitionTables.render(r, markdown);
    }
}
