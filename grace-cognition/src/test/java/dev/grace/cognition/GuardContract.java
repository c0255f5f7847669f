package dev.grace.cognition;

import dev.grace.api.Kpi;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.AlertChannel;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.runtime.config.CognitionConfig;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Cognition's guard through the real runtime and a real database, hour by hour on a controlled
 * clock: flags raised on a series that looks invented, shown in status and readiness, lowering
 * confidence, audited when raised and when cleared. Run on H2 and on PostgreSQL.
 */
abstract class GuardContract {

    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);
    /** A measured-looking series: ten values in each hour, spread around a mean that moves hour to hour. */
    static final IntFunction<double[]> VARIED = i -> {
        double[] v = new double[10];
        for (int j = 0; j < v.length; j++) {
            v[j] = 0.88 + 0.01 * ((i * 7 + j * 3) % 11);
        }
        return v;
    };

    @TempDir
    Path dir;
    /** Every alert the runtime sent, through a host's channel as {@code GraceRuntime.Builder.alertChannel} adds one. */
    final List<Alert> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();

    abstract GraceConfig.Store store();

    abstract Connection connect() throws SQLException;

    GraceRuntime start(CognitionConfig cognition, TestClock clock, Scored... plugins) {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withNodeId("a")
                .withPluginsDirs(List.of()).withStore(store().withFlushInterval(Duration.ofMillis(50)))
                .withCognition(cognition);
        GraceRuntime.Builder b = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .evaluate(false).supervise(false).alertChannel(new AlertChannel() {
                    @Override
                    public String name() {
                        return "test";
                    }

                    @Override
                    public void send(Alert alert) {
                        alerts.add(alert);
                    }
                });
        for (Scored p : plugins) {
            b.plugin(p);
        }
        return b.build().start();
    }

    /** Publishes each plugin's values in hour {@code i}, then evaluates at 6 minutes past its end. */
    static void hour(GraceRuntime rt, TestClock clock, int i, Scored[] plugins, double[][] values) {
        Instant start = T0.plus(HOUR.multipliedBy(i));
        clock.set(start.plus(Duration.ofMinutes(30)));
        rt.turnHour();
        for (int p = 0; p < plugins.length; p++) {
            for (double v : values[p]) {
                plugins[p].publisher().record(plugins[p].kpis().get(0), v);
            }
        }
        clock.set(start.plus(HOUR).plus(Duration.ofMinutes(6)));
        rt.turnHour();
        rt.cognition().orElseThrow().evaluateDue();
    }

    static void hour(GraceRuntime rt, TestClock clock, int i, Scored plugin, double... values) {
        hour(rt, clock, i, new Scored[] {plugin}, new double[][] {values});
    }

    static double[] times(double value, int n) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    static DomainStatus domain(Cognition c, int i, String name) {
        return c.status(T0.plus(HOUR.multipliedBy(i))).domains().stream().filter(d -> d.domain().equals(name))
                .findFirst().orElseThrow();
    }

    List<String> audit() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, detail FROM audit_log WHERE kind LIKE 'guard_flag_%'"
                     + " ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    List<Alert> guardAlerts() {
        return alerts.stream().filter(a -> a.type().startsWith("guard_flag_")).toList();
    }

    /** The subjects of the readiness events of one type, as stored. */
    List<String> events(String type) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); java.sql.PreparedStatement s = c.prepareStatement(
                "SELECT subject FROM saas_readiness_events WHERE event_type = ? ORDER BY id")) {
            s.setString(1, type);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void aSeriesConstantOverTheWindowIsFlaggedLowersConfidenceAndClearsWhenItMovesAgain() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored plugin = new Scored("probe", "core");
        try (GraceRuntime rt = start(CognitionConfig.defaults(), clock, plugin)) {
            Cognition c = rt.cognition().orElseThrow();
            for (int i = 0; i < 24; i++) {
                hour(rt, clock, i, plugin, VARIED.apply(i));
            }
            DomainStatus measured = domain(c, 23, "core");
            assertThat(measured.flags()).isEmpty();
            double before = measured.scores().confidence();
            assertThat(before).isGreaterThan(0.95);

            for (int i = 24; i < 48; i++) { // the whole 24-hour window fills with one value
                hour(rt, clock, i, plugin, times(0.93, 10));
                if (i < 47) {
                    assertThat(domain(c, i, "core").flags()).as("hour %d: the window still holds measured hours", i)
                            .isEmpty();
                }
            }
            DomainStatus invented = domain(c, 47, "core");
            assertThat(invented.flags()).singleElement().satisfies(f -> {
                assertThat(f.kpi()).isEqualTo("success");
                assertThat(f.flag()).isEqualTo("constant");
                assertThat(f.detail()).contains("240 values 0.93", "24 hours");
                assertThat(f.since()).isEqualTo(T0.plus(HOUR.multipliedBy(47)));
            });
            double after = invented.scores().confidence();
            // one KPI whose evidence counts as se = 0.5: 1 - 1.96 × 0.5
            assertThat(after).isCloseTo(1 - 1.959963984540054 * 0.5, within(1e-9));
            assertThat(invented.scores().health()).isCloseTo(0.93, within(1e-9));
            assertThat(c.readiness().flags()).extracting(KpiFlag::flag).containsExactly("constant");
            assertThat(c.readiness().nextSteps()).anySatisfy(s -> assertThat(s).startsWith("core.success is flagged constant"));
            assertThat(c.status().domains().get(0).flags()).as("the live hour shows the active flags")
                    .hasSize(1);

            assertThat(guardAlerts()).as("an operator watching the alerts hears of the flag in the hour it is raised")
                    .singleElement().satisfies(a -> {
                        assertThat(a.type()).isEqualTo("guard_flag_raised");
                        assertThat(a.subject()).isEqualTo("core.success");
                        assertThat(a.hour()).isEqualTo(T0.plus(HOUR.multipliedBy(47)));
                        assertThat(a.message()).startsWith("core.success is flagged constant: all 240 values 0.93");
                    });
            assertThat(events("guard_flag_raised")).containsExactly("core.success");

            hour(rt, clock, 48, plugin, VARIED.apply(48));
            assertThat(guardAlerts()).extracting(Alert::type).containsExactly("guard_flag_raised", "guard_flag_cleared");
            assertThat(guardAlerts().get(1).message()).isEqualTo("core.success is no longer flagged constant (raised in"
                    + " the hour of " + T0.plus(HOUR.multipliedBy(47)) + ")");
            assertThat(events("guard_flag_cleared")).containsExactly("core.success");
            assertThat(domain(c, 48, "core").flags()).isEmpty();
            assertThat(domain(c, 48, "core").scores().confidence()).isGreaterThan(0.9);
            assertThat(audit()).hasSize(2).satisfies(a -> {
                assertThat(a.get(0)).startsWith("guard_flag_raised core.success constant: all 240 values 0.93");
                assertThat(a.get(1)).startsWith("guard_flag_cleared core.success constant cleared");
            });
        }
    }

    @Test
    void aKpiDeclaringItsConstantLegitimateIsNotFlaggedButAnUndeclaredOneAtItsLimitIsPinned() throws Exception {
        TestClock clock = new TestClock(T0);
        Kpi uptime = Kpi.builder("uptime", Kpi.Unit.RATIO).healthBearing().mayBeConstant()
                .description("share of the hour the service answered").build();
        Kpi recall = Kpi.builder("recall", Kpi.Unit.RATIO).healthBearing()
                .description("share of planted findings found").build();
        Scored up = new Scored("up", "ops", uptime);
        Scored found = new Scored("found", "security", recall);
        Scored[] both = {up, found};
        try (GraceRuntime rt = start(CognitionConfig.defaults().withGuard(new CognitionConfig.Guard(true,
                Duration.ofHours(6), 0)), clock, both)) {
            for (int i = 0; i < 6; i++) {
                hour(rt, clock, i, both, new double[][] {times(1.0, 5), times(1.0, 5)});
            }
            Cognition c = rt.cognition().orElseThrow();
            assertThat(domain(c, 5, "ops").flags()).isEmpty();
            assertThat(domain(c, 5, "security").flags()).singleElement().satisfies(f -> {
                assertThat(f.flag()).isEqualTo("pinned");
                assertThat(f.detail()).contains("every value at 1", "its range limit", "6 of 6 hours");
            });
        }
    }

    @Test
    void aKpiCopyingAnotherOnesSeriesAndOneWithTwoValuesAreFlagged() throws Exception {
        TestClock clock = new TestClock(T0);
        Kpi accuracy = Kpi.builder("accuracy", Kpi.Unit.RATIO).healthBearing().description("held-out accuracy").build();
        Kpi agreement = Kpi.builder("agreement", Kpi.Unit.RATIO).healthBearing().description("vote agreement").build();
        Scored ml = new Scored("ml", "ml", accuracy);
        Scored mirror = new Scored("mirror", "mirror", agreement);
        Scored flip = new Scored("flip", "flip");
        Scored[] all = {ml, mirror, flip};
        try (GraceRuntime rt = start(CognitionConfig.defaults().withGuard(new CognitionConfig.Guard(true,
                Duration.ofHours(6), 0)), clock, all)) {
            for (int i = 0; i < 6; i++) {
                double[] v = VARIED.apply(i);
                hour(rt, clock, i, all, new double[][] {v, v, times(i % 2 == 0 ? 0.8 : 0.9, 4)});
            }
            Cognition c = rt.cognition().orElseThrow();
            assertThat(domain(c, 5, "ml").flags()).singleElement().satisfies(f -> {
                assertThat(f.flag()).isEqualTo("copy");
                assertThat(f.detail()).contains("mirror.agreement");
            });
            assertThat(domain(c, 5, "mirror").flags()).extracting(KpiFlag::flag).containsExactly("copy");
            assertThat(domain(c, 5, "flip").flags()).singleElement().satisfies(f -> {
                assertThat(f.flag()).isEqualTo("few_values");
                assertThat(f.detail()).contains("only 2 values");
            });
            assertThat(audit()).filteredOn(a -> a.startsWith("guard_flag_raised")).hasSize(3);
            assertThat(guardAlerts()).extracting(Alert::subject)
                    .containsExactlyInAnyOrder("ml.accuracy", "mirror.agreement", "flip.success");
        }
    }

    @Test
    void theGuardSwitchedOffRaisesNothingAndLeavesConfidenceAlone() throws Exception {
        TestClock clock = new TestClock(T0);
        Scored plugin = new Scored("probe", "core");
        CognitionConfig off = CognitionConfig.defaults().withGuard(new CognitionConfig.Guard(false, null, 0));
        try (GraceRuntime rt = start(off, clock, plugin)) {
            for (int i = 0; i < 24; i++) {
                hour(rt, clock, i, plugin, times(0.93, 10));
            }
            DomainStatus d = domain(rt.cognition().orElseThrow(), 23, "core");
            assertThat(d.flags()).isEmpty();
            assertThat(d.scores().confidence()).isCloseTo(1.0, within(1e-6));
            assertThat(audit()).isEmpty();
            assertThat(guardAlerts()).isEmpty();
        }
    }
}
