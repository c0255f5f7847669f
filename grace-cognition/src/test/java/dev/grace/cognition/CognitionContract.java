package dev.grace.cognition;

import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.cognition.Readiness;

import com.sun.net.httpserver.HttpServer;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.config.CognitionConfig;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Cognition through the real runtime and a real database, hour by hour on a controlled clock:
 * nothing sleeps for an hour. Run on H2 and on PostgreSQL.
 */
abstract class CognitionContract {

    final Instant T0 = Instant.parse("2026-11-01T00:00:00Z").plus(shift());
    static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    /** How far this run moves the fixed instants ({@link H2CognitionTimeShiftTest}): whole weeks. */
    Duration shift() {
        return Duration.ZERO;
    }

    abstract GraceConfig.Store store();

    abstract Connection connect() throws SQLException;

    GraceConfig config(Path dataDir, String node, CognitionConfig cognition) {
        return GraceConfig.defaults().withDataDir(dataDir).withNodeId(node).withPluginsDirs(List.of())
                .withStore(store().withFlushInterval(Duration.ofMillis(50))).withCognition(cognition);
    }

    GraceRuntime start(GraceConfig config, TestClock clock, Scored plugin) {
        return GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false).plugin(plugin)
                .evaluate(false).supervise(false).build().start();
    }

    /** Publishes {@code value} ten times in hour {@code i}, then evaluates at 6 minutes past its end. */
    List<BenchmarkState> hour(GraceRuntime rt, TestClock clock, Scored plugin, int i, Double value) {
        Instant start = T0.plus(HOUR.multipliedBy(i));
        clock.set(start.plus(Duration.ofMinutes(30)));
        rt.turnHour();
        if (value != null) {
            plugin.record(value, 10);
        }
        clock.set(start.plus(HOUR).plus(Duration.ofMinutes(6)));
        rt.turnHour();
        return rt.cognition().orElseThrow().evaluateDue();
    }

    static Map<String, BenchmarkState> byMetric(List<BenchmarkState> states) {
        Map<String, BenchmarkState> out = new TreeMap<>();
        states.forEach(s -> out.put(s.metric(), s));
        return out;
    }

    long scalar(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void eightDaysOfHoursSustainExactlyAtTheFullWindowAndOneLowHourLosesIt() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored plugin = new Scored("probe", "core");
        try (GraceRuntime rt = start(config(dir.resolve("a"), "a", CognitionConfig.defaults()), clock, plugin)) {
            Map<Integer, Map<String, BenchmarkState>> byHour = new TreeMap<>();
            for (int i = 0; i < 192; i++) {
                // a value that moves a little hour to hour: a week of one exact value is what the guard flags
                List<BenchmarkState> states = hour(rt, clock, plugin, i, i == 180 ? 0.6 : 0.95 + 0.001 * (i % 5));
                Instant expected = T0.plus(HOUR.multipliedBy(i));
                assertThat(states).as("hour %d", i).hasSize(4).allSatisfy(s -> assertThat(s.hour()).isEqualTo(expected));
                byHour.put(i, byMetric(states));
            }
            assertThat(byHour.get(22).get("overall.health").state()).isEqualTo("insufficient");
            assertThat(byHour.get(23).get("overall.health").state()).isEqualTo("met");
            assertThat(byHour.get(166).get("overall.health").state()).isEqualTo("met");
            assertThat(byHour.get(166).get("overall.health").missing()).startsWith("1 more hours");
            for (String metric : List.of("overall.health", "overall.trust", "overall.confidence", "core.health")) {
                assertThat(byHour.get(167).get(metric).state()).as(metric).isEqualTo("sustained");
                assertThat(byHour.get(167).get(metric).samples()).isEqualTo(168);
            }
            assertThat(byHour.get(180).get("overall.health").state()).isEqualTo("below");
            assertThat(byHour.get(180).get("overall.health").value()).isCloseTo(0.6, within(1e-9));
            assertThat(byHour.get(180).get("core.health").state()).isEqualTo("below");
            assertThat(byHour.get(180).get("overall.trust").state()).isEqualTo("sustained");
            assertThat(byHour.get(181).get("overall.health").state()).isEqualTo("met");

            List<Alert> alerts = new ArrayList<>(rt.cognition().orElseThrow().alerts(1000));
            java.util.Collections.reverse(alerts);
            assertThat(alerts).filteredOn(a -> a.type().equals("elevation_ready")).singleElement()
                    .satisfies(a -> assertThat(a.hour()).isEqualTo(T0.plus(HOUR.multipliedBy(167))));
            assertThat(alerts).filteredOn(a -> a.type().equals("threshold_lost"))
                    .extracting(Alert::subject).containsExactly("overall.health", "core.health");
            assertThat(alerts).filteredOn(a -> a.type().equals("threshold_lost"))
                    .allSatisfy(a -> assertThat(a.hour()).isEqualTo(T0.plus(HOUR.multipliedBy(180))));
            assertThat(alerts).filteredOn(a -> a.type().equals("threshold_crossed")).extracting(Alert::hour)
                    .containsExactly(at(23), at(23), at(23), at(23), at(181), at(181));
            assertThat(alerts).noneMatch(a -> a.type().equals("domain_dip"));
            assertThat(scalar("SELECT COUNT(*) FROM saas_readiness_events")).isEqualTo(alerts.size());
            assertThat(scalar("SELECT COUNT(*) FROM benchmark_history")).isEqualTo(192 * 4);
        }
    }

    Instant at(int hour) {
        return T0.plus(HOUR.multipliedBy(hour));
    }

    static CognitionConfig sixHours() {
        return CognitionConfig.defaults().withBenchmarks(List.of("overall_health: overall.health >= 0.90 over 6h after 3"));
    }

    @Test
    void aGapIsNoValueAndBreaksTheWindowAndADipIsRaisedOnce() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored plugin = new Scored("probe", "core");
        try (GraceRuntime rt = start(config(dir.resolve("a"), "a", sixHours()), clock, plugin)) {
            Map<Integer, BenchmarkState> states = new TreeMap<>();
            for (int i = 0; i < 12; i++) {
                Double value = i == 7 ? null : i == 9 || i == 10 ? 0.3 : 0.95;
                states.put(i, hour(rt, clock, plugin, i, value).get(0));
            }
            Cognition c = rt.cognition().orElseThrow();
            assertThat(states.get(1).state()).isEqualTo("insufficient");
            assertThat(states.get(2).state()).isEqualTo("met");
            assertThat(states.get(5).state()).isEqualTo("sustained");
            assertThat(states.get(7).value()).isNull();
            assertThat(states.get(7).state()).isEqualTo("below");
            assertThat(states.get(7).missing()).contains("gap");
            assertThat(states.get(8).state()).isEqualTo("met");
            assertThat(c.status(at(7)).overall().health()).as("a gap is no value, not zero and not carried").isNull();
            assertThat(c.status(at(7)).domains()).singleElement().satisfies(d -> assertThat(d.scores().present()).isFalse());
            List<Alert> alerts = c.alerts(100);
            assertThat(alerts).filteredOn(a -> a.type().equals("threshold_lost")).singleElement()
                    .satisfies(a -> assertThat(a.hour()).isEqualTo(at(7)));
            assertThat(alerts).filteredOn(a -> a.type().equals("domain_dip")).singleElement()
                    .satisfies(a -> {
                        assertThat(a.hour()).isEqualTo(at(9));
                        assertThat(a.subject()).isEqualTo("core");
                        assertThat(a.value()).isCloseTo(0.3, within(1e-9));
                    });
            Readiness r = c.readiness();
            assertThat(r.hour()).isEqualTo(at(11));
            assertThat(r.elevationReady()).isFalse();
            assertThat(r.nextSteps()).isNotEmpty();
            assertThat(c.history("overall_health", T0)).hasSize(12);
        }
    }

    /** A KPI with a connector attribute: billing fast, crm slow, so the total would fail what billing meets. */
    static final dev.grace.api.Kpi LATENCY = dev.grace.api.Kpi.builder("latency", dev.grace.api.Kpi.Unit.SECONDS)
            .lowerIsBetter().attribute("connector").build();

    static CognitionConfig billingP95() {
        return CognitionConfig.defaults().withBenchmarks(List.of(
                "billing_p95: fed.latency{connector=billing}.p95 <= 0.25 over 6h after 3"));
    }

    /**
     * Issue 19: a benchmark on one series, judged hour by hour from the stored series rows (merged
     * across two nodes): sustained once six hours in a row meet it, lost in the hour billing's p95
     * rises, while crm's slow values (and so the KPI's total) never meet it.
     */
    @Test
    void aBenchmarkOnOneSeriesIsSustainedFromItsStoredRowsAcrossNodesAndLost() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored a = new Scored("probe", "fed", LATENCY);
        Scored b = new Scored("probe", "fed", LATENCY);
        try (GraceRuntime rt = start(config(dir.resolve("a"), "a", billingP95()), clock, a);
             GraceRuntime other = GraceRuntime.builder().config(config(dir.resolve("b"), "b", CognitionConfig.defaults()
                             .withEnabled(false))).clock(clock).discoverClasspath(false).plugin(b).build().start()) {
            Map<Integer, BenchmarkState> states = new TreeMap<>();
            for (int i = 0; i < 9; i++) {
                Instant start = at(i);
                clock.set(start.plus(Duration.ofMinutes(30)));
                rt.turnHour();
                other.turnHour();
                double billing = i == 7 ? 0.4 : 0.1 + 0.01 * (i % 3);
                for (int n = 0; n < 10; n++) {
                    a.publisher().series(LATENCY, "connector", "billing").record(billing);
                    b.publisher().series(LATENCY, "connector", "billing").record(n < 9 ? 0.05 : billing);
                    a.publisher().series(LATENCY, "connector", "crm").record(0.9);
                }
                clock.set(start.plus(HOUR).plus(Duration.ofMinutes(6)));
                rt.turnHour();
                other.turnHour();
                assertThat(other.flushStore(Duration.ofSeconds(10))).isTrue();
                List<BenchmarkState> evaluated = rt.cognition().orElseThrow().evaluateDue();
                assertThat(evaluated).as("hour %d", i).singleElement();
                states.put(i, evaluated.get(0));
            }
            BenchmarkState first = states.get(0);
            assertThat(first.metric()).isEqualTo("fed.latency{connector=billing}.p95");
            assertThat(first.direction()).isEqualTo("at_most");
            assertThat(first.value()).as("p95 of node a's ten and node b's ten").isCloseTo(0.1, within(0.002));
            assertThat(states.get(1).state()).isEqualTo("insufficient");
            assertThat(states.get(2).state()).isEqualTo("met");
            assertThat(states.get(5).state()).isEqualTo("sustained");
            assertThat(states.get(6).state()).isEqualTo("sustained");
            assertThat(states.get(7).state()).isEqualTo("below");
            assertThat(states.get(7).value()).isCloseTo(0.4, within(0.004));
            assertThat(states.get(7).missing()).isEqualTo("0.40: 0.15 above 0.25");
            assertThat(states.get(8).state()).isEqualTo("met");
            List<Alert> alerts = rt.cognition().orElseThrow().alerts(100);
            assertThat(alerts).filteredOn(al -> al.type().equals("threshold_lost")).singleElement().satisfies(al -> {
                assertThat(al.hour()).isEqualTo(at(7));
                assertThat(al.subject()).isEqualTo("fed.latency{connector=billing}.p95");
                assertThat(al.message()).isEqualTo("billing_p95: fed.latency{connector=billing}.p95 fell to 0.40 against"
                        + " its threshold 0.25 after being sustained over 6h");
            });
            assertThat(rt.cognition().orElseThrow().history("billing_p95", T0)).hasSize(9);
        }
    }

    @Test
    void aSeriesBenchmarkOnAnAttributeTheKpiDoesNotDeclareFailsTheStartInOneLine() {
        Scored plugin = new Scored("probe", "fed", LATENCY);
        GraceRuntime rt = GraceRuntime.builder().config(config(dir.resolve("a"), "a", CognitionConfig.defaults()
                        .withBenchmarks(List.of("billing_p95: fed.latency{conector=billing}.p95 <= 0.25 over 6h"))))
                .clock(new TestClock(T0)).discoverClasspath(false).plugin(plugin).evaluate(false).build();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(rt::start)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cognition.benchmarks item 1 'billing_p95: fed.latency{conector=billing}.p95 <= 0.25"
                            + " over 6h': KPI fed/latency (plugin probe) declares no attribute conector; its"
                            + " attributes: connector");
        } finally {
            rt.close();
        }
    }

    @Test
    void evaluatingAnHourAgainWritesNothing() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored plugin = new Scored("probe", "core");
        try (GraceRuntime rt = start(config(dir.resolve("a"), "a", sixHours()), clock, plugin)) {
            assertThat(hour(rt, clock, plugin, 0, 0.95)).hasSize(1);
            Cognition c = rt.cognition().orElseThrow();
            assertThat(c.evaluateDue()).isEmpty();
            assertThat(c.evaluation(at(0))).singleElement().satisfies(s -> assertThat(s.value()).isCloseTo(0.95, within(1e-9)));
            assertThat(scalar("SELECT COUNT(*) FROM benchmark_history")).isEqualTo(1);
            assertThat(scalar("SELECT COUNT(*) FROM cognition_hours")).isEqualTo(1);
        }
    }

    @Test
    void aRuntimeDownForTenHoursCatchesUpThoseHoursInOrderAtStart() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored plugin = new Scored("probe", "core");
        CognitionConfig day = CognitionConfig.defaults()
                .withBenchmarks(List.of("overall_health: overall.health >= 0.90 over 24h after 3"));
        GraceConfig config = config(dir.resolve("a"), "a", day);
        try (GraceRuntime rt = start(config, clock, plugin)) {
            for (int i = 0; i < 3; i++) {
                assertThat(hour(rt, clock, plugin, i, 0.95)).hasSize(1);
            }
        }
        clock.set(at(13).plus(Duration.ofMinutes(6)));
        Scored again = new Scored("probe", "core");
        try (GraceRuntime rt = start(config, clock, again)) {
            List<BenchmarkState> caughtUp = rt.cognition().orElseThrow().evaluateDue();
            assertThat(caughtUp).extracting(BenchmarkState::hour)
                    .containsExactly(at(3), at(4), at(5), at(6), at(7), at(8), at(9), at(10), at(11), at(12));
            assertThat(caughtUp).allSatisfy(s -> assertThat(s.value()).isNull());
        }
    }

    @Test
    void lateEventsInsideTheGracePeriodCountAndLaterOnesDoNotRewriteTheRow() throws Exception {
        TestClock clock = new TestClock(T0.plus(Duration.ofMinutes(30)));
        Scored plugin = new Scored("probe", "core");
        try (GraceRuntime rt = start(config(dir.resolve("a"), "a", sixHours()), clock, plugin)) {
            plugin.record(0.9, 10);
            clock.set(at(1).plus(Duration.ofMinutes(2)));
            rt.turnHour();
            for (int i = 0; i < 10; i++) {
                assertThat(plugin.publisher().publish("success", 0.5, at(0).plus(Duration.ofMinutes(50)))).isTrue();
            }
            clock.set(at(1).plus(Duration.ofMinutes(6)));
            List<BenchmarkState> states = rt.cognition().orElseThrow().evaluateDue();
            assertThat(states).singleElement().satisfies(s -> assertThat(s.value()).isCloseTo(0.7, within(1e-9)));

            clock.set(at(1).plus(Duration.ofMinutes(10)));
            for (int i = 0; i < 20; i++) {
                assertThat(plugin.publisher().publish("success", 1.0, at(0).plus(Duration.ofMinutes(55)))).isTrue();
            }
            assertThat(rt.cognition().orElseThrow().evaluateDue()).isEmpty();
            assertThat(rt.cognition().orElseThrow().evaluation(at(0))).singleElement()
                    .satisfies(s -> assertThat(s.value()).isCloseTo(0.7, within(1e-9)));
            assertThat(rt.cognition().orElseThrow().status(at(0)).domains().get(0).kpis().get(0).count()).isEqualTo(40);
        }
    }

    @Test
    void aFailingOrSlowWebhookNeitherBlocksNorStopsEvaluationAndIsShownInAlerts() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger posts = new AtomicInteger();
        server.createContext("/fail", ex -> {
            posts.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        try {
            int first = 0; // both runtimes share the test's database: the second evaluates later hours
            for (String path : List.of("/fail", "/slow")) {
                TestClock clock = new TestClock(T0);
                Scored plugin = new Scored("probe", "core");
                String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
                CognitionConfig cc = sixHours().withWebhook(url, Duration.ofMillis(300), 1);
                try (GraceRuntime rt = start(config(dir.resolve(path.substring(1)), "a", cc), clock, plugin)) {
                    long started = System.nanoTime();
                    assertThat(hour(rt, clock, plugin, first, 0.2)).hasSize(1); // a dip: one alert
                    assertThat(hour(rt, clock, plugin, first + 1, 0.95)).hasSize(1);
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                    Cognition c = rt.cognition().orElseThrow();
                    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                    while (c.alerts(10).stream().noneMatch(a -> a.type().equals("delivery_failed"))
                            && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertThat(c.alerts(10)).filteredOn(a -> a.type().equals("delivery_failed")).singleElement()
                            .satisfies(a -> assertThat(a.message()).contains(path).contains("domain_dip")
                                    .contains(path.equals("/fail") ? "HTTP 500" : "no answer within"));
                }
                first += 2;
            }
            assertThat(posts.get()).isEqualTo(2); // the first attempt and one retry
        } finally {
            server.stop(0);
        }
    }

    @Test
    void twoRuntimesOnOneDatabaseEvaluateEachHourOnce() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored pa = new Scored("probe", "core");
        Scored pb = new Scored("probe", "core");
        try (GraceRuntime a = start(config(dir.resolve("a"), "a", sixHours()), clock, pa);
             GraceRuntime b = start(config(dir.resolve("b"), "b", sixHours()), clock, pb)) {
            for (int i = 0; i < 6; i++) {
                clock.set(at(i).plus(Duration.ofMinutes(30)));
                a.turnHour();
                b.turnHour();
                pa.record(0.9, 5);
                pb.record(1.0, 5);
            }
            clock.set(at(6).plus(Duration.ofMinutes(6)));
            a.turnHour();
            b.turnHour();
            // what the 5-minute grace period gives in production: both nodes' hours are written
            assertThat(a.flushStore(Duration.ofSeconds(10))).isTrue();
            assertThat(b.flushStore(Duration.ofSeconds(10))).isTrue();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Callable<List<BenchmarkState>> ea = () -> a.cognition().orElseThrow().evaluateDue();
                Callable<List<BenchmarkState>> eb = () -> b.cognition().orElseThrow().evaluateDue();
                List<Future<List<BenchmarkState>>> results = pool.invokeAll(List.of(ea, eb));
                List<BenchmarkState> all = new ArrayList<>();
                for (Future<List<BenchmarkState>> f : results) {
                    all.addAll(f.get());
                }
                // whichever runtime evaluated an hour, it saw both nodes' values
                assertThat(all).extracting(BenchmarkState::hour)
                        .containsExactly(at(0), at(1), at(2), at(3), at(4), at(5));
                assertThat(all).allSatisfy(s -> assertThat(s.value()).isCloseTo(0.95, within(1e-9)));
            } finally {
                pool.shutdownNow();
            }
            assertThat(scalar("SELECT COUNT(*) FROM benchmark_history")).isEqualTo(6);
            assertThat(scalar("SELECT COUNT(*) FROM cognition_hours")).isEqualTo(6);
        }
    }

    @Test
    void aLeaseHeldByARuntimeThatDiedIsTakenOverOnceItRunsOut() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored plugin = new Scored("probe", "core");
        try (GraceRuntime rt = start(config(dir.resolve("a"), "a", sixHours()), clock, plugin)) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE cognition_lease SET holder = 'dead',"
                        + " expires_at = CURRENT_TIMESTAMP + 2 * INTERVAL '1' SECOND WHERE name = 'evaluator'");
            }
            assertThat(hour(rt, clock, plugin, 0, 0.95)).as("the lease is held by a runtime that died").isEmpty();
            Thread.sleep(2_500); // the lease is timed by the database's clock, which the test cannot move
            assertThat(rt.cognition().orElseThrow().evaluateDue()).singleElement()
                    .satisfies(s -> assertThat(s.hour()).isEqualTo(at(0)));
        }
    }
}
