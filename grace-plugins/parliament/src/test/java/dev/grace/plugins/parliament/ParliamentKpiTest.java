package dev.grace.plugins.parliament;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginHealth;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.testkit.ControlledPlugin;
import dev.grace.testkit.ManualClock;
import dev.grace.testkit.StepScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Parliament's health-bearing KPIs, {@code compliance_score} and {@code vote_participation}, moved
 * by the measured condition of a real runtime (degraded, then restored), and {@code approval_rate}
 * shown to follow the measurements rather than the agenda.
 */
class ParliamentKpiTest {

    /** A plugin with one health-bearing KPI it publishes when told, unhealthy when told. */
    static final class Measured implements DomainPlugin {
        static final Kpi QUALITY = Kpi.builder("quality", Kpi.Unit.RATIO).healthBearing().build();
        private final String id;
        private volatile boolean unhealthy;
        private volatile MetricPublisher publisher;
        private final ManualClock clock;

        Measured(String id, ManualClock clock) {
            this.clock = clock;
            this.id = id;
        }

        void unhealthy(boolean u) {
            unhealthy = u;
        }

        /** Publishes at the clock's time (the hot path would count it to the hour the runtime last turned to). */
        void publish(double value) {
            assertThat(publisher.record(QUALITY, value, clock.instant(), null)).isTrue();
        }

        @Override
        public PluginInfo info() {
            return PluginInfo.builder(id).domain("m_" + id).version("1.0.0").apiRange("[0.1,1)").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(QUALITY);
        }

        @Override
        public void start(PluginContext context) {
            publisher = context.publisher();
        }

        @Override
        public PluginHealth health() {
            return unhealthy ? PluginHealth.unhealthy("told to be") : PluginHealth.ok();
        }
    }

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final Map<String, StepScheduler> schedulers = new ConcurrentHashMap<>();
    private final List<RawEvent> events = Collections.synchronizedList(new ArrayList<>());
    private GraceRuntime runtime;

    private void start(int maxRestarts, DomainPlugin... plugins) {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of())
                .withSupervision(new GraceConfig.Supervision(null, 10, null, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .withStore(GraceConfig.Store.defaults().withEnabled(false))
                .withPlugins(Map.of("parliament", Map.of("max-restarts", maxRestarts)));
        GraceRuntime.Builder b = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .supervise(false).rawEventSink(events::addAll)
                .schedulers((id, threads) -> {
                    StepScheduler s = new StepScheduler(threads);
                    schedulers.put(id, s);
                    return s;
                });
        b.plugin(new ParliamentPlugin());
        for (DomainPlugin p : plugins) {
            b.plugin(p);
        }
        runtime = b.build().start();
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private void review() {
        schedulers.get("parliament").step();
    }

    private PluginStatus status(String id) {
        return runtime.plugins().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private List<Double> values(String kpi) {
        assertThat(runtime.awaitRawEvents(Duration.ofSeconds(10))).isTrue();
        synchronized (events) {
            return events.stream().filter(e -> e.domain().equals("parliament") && e.kpi().equals(kpi))
                    .map(RawEvent::value).toList();
        }
    }

    private double last(String kpi) {
        List<Double> v = values(kpi);
        assertThat(v).as(kpi).isNotEmpty();
        return v.get(v.size() - 1);
    }

    /** Lets the supervisor see {@code id} unhealthy: stopped, RESTARTING (one restart per call after the first). */
    private void supervise() {
        clock.advance(Duration.ofSeconds(1));
        runtime.supervise();
    }

    /** Fails {@code p} until the supervisor has restarted it more than {@code limit} times, then reviews. */
    private void failBeyond(Measured p, int limit) {
        p.unhealthy(true);
        supervise();                                   // RESTARTING
        for (int i = 0; i < limit + 1; i++) {
            supervise();                               // restarted, RUNNING
            supervise();                               // unhealthy again: RESTARTING
        }
        assertThat(status(p.info().id()).restarts()).isGreaterThan(limit);
        review();
    }

    @Test
    void complianceScoreFallsWhenAPluginGoesDown() {
        ControlledPlugin flaky = new ControlledPlugin("flaky");
        start(5, flaky, new ControlledPlugin("steady"));
        review();
        assertThat(last("compliance_score")).isEqualTo(1.0);

        flaky.unhealthy(true);
        supervise();                                   // RESTARTING: no longer complies with must-be-running
        review();
        assertThat(status("flaky").state()).isEqualTo(PluginState.RESTARTING);
        assertThat(last("compliance_score")).as("one of the two others is down").isEqualTo(0.5);
    }

    @Test
    void complianceScoreRecoversWhenThePluginRunsAgain() {
        ControlledPlugin flaky = new ControlledPlugin("flaky");
        start(5, flaky, new ControlledPlugin("steady"));
        flaky.unhealthy(true);
        supervise();
        review();
        assertThat(last("compliance_score")).isEqualTo(0.5);

        flaky.unhealthy(false);
        supervise();                                   // backoff over: restarted, RUNNING
        review();
        assertThat(status("flaky").state()).isEqualTo(PluginState.RUNNING);
        assertThat(last("compliance_score")).as("restarted once, within the limit of 5, and running")
                .isEqualTo(1.0);
    }

    @Test
    void voteParticipationFallsWhenThePluginJudgedStoppedPublishingItsKpis() {
        Measured fresh = new Measured("fresh", clock);
        Measured silent = new Measured("silent", clock);
        start(0, fresh, silent);
        silent.publish(0.9);                           // its last value: more than an hour old below
        clock.advance(Duration.ofHours(2));
        fresh.publish(0.9);

        failBeyond(fresh, 0);
        assertThat(status("fresh").state()).isEqualTo(PluginState.QUARANTINED);
        assertThat(last("vote_participation")).as("all 3 quarantine voters had their data").isEqualTo(1.0);

        failBeyond(silent, 0);
        assertThat(status("silent").state()).isEqualTo(PluginState.QUARANTINED);
        assertThat(last("vote_participation")).as("kpi-evidence had no recent value of silent's KPIs: abstained")
                .isCloseTo(2.0 / 3, within(1e-9));
        assertThat(values("vote_participation")).hasSize(2);
    }

    @Test
    void voteParticipationRecoversWhenThePluginJudgedPublishesAgain() {
        Measured silent = new Measured("silent", clock);
        Measured back = new Measured("back", clock);
        start(0, silent, back);
        silent.publish(0.9);
        back.publish(0.9);
        clock.advance(Duration.ofHours(2));            // both silent for two hours

        failBeyond(silent, 0);
        assertThat(last("vote_participation")).isCloseTo(2.0 / 3, within(1e-9));

        back.publish(0.9);                             // publishing again
        failBeyond(back, 0);
        assertThat(status("back").state()).isEqualTo(PluginState.QUARANTINED);
        assertThat(last("vote_participation")).as("kpi-evidence could judge again").isEqualTo(1.0);
    }

    @Test
    void approvalFollowsTheMeasuredConditionNotTheAgenda() {
        Measured poor = new Measured("poor", clock);
        Measured broken = new Measured("broken", clock);
        start(0, poor, broken);
        poor.publish(0.2);                             // running, but its KPI measures bad
        broken.publish(0.8);                           // its KPI measures well, but it will keep failing
        review();

        assertThat(values("approval_rate")).as("poor proposed on its KPIs; only kpi-evidence voted for it")
                .containsExactly(0.0);
        assertThat(status("poor").state()).isEqualTo(PluginState.RUNNING);
        assertThat(last("vote_participation")).isEqualTo(1.0);

        failBeyond(broken, 0);
        assertThat(values("approval_rate")).as("broken: max-restarts and must-be-running for, kpi-evidence against")
                .containsExactly(0.0, 1.0);
        assertThat(status("broken").state()).isEqualTo(PluginState.QUARANTINED);
    }

    @Test
    void aPluginRejectedOnItsKpisIsStillQuarantinedOnceItFailsBeyondTheLimit() {
        Measured poor = new Measured("poor", clock);
        start(0, poor);
        poor.publish(0.2);
        review();
        assertThat(values("approval_rate")).as("rejected on its KPIs alone").containsExactly(0.0);

        failBeyond(poor, 0);
        assertThat(values("approval_rate")).as("the restart ground is another proposal").containsExactly(0.0, 1.0);
        assertThat(status("poor").state()).isEqualTo(PluginState.QUARANTINED);
    }
}
