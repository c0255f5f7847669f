package dev.grace.plugins.parliament;

import dev.grace.api.RuntimeView.BenchmarkView;
import dev.grace.api.RuntimeView.PluginView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class AgendaTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Chamber chamber = new Chamber(List.of(Voter.mustBeRunning()), 0.5, Duration.ofSeconds(30));
    private final Agenda agenda = new Agenda("parliament", 2, 0.2, Duration.ofSeconds(10));

    private static Facts plugins(PluginView... ps) {
        Map<String, PluginView> m = new java.util.HashMap<>();
        for (PluginView p : ps) {
            m.put(p.id(), p);
        }
        return new Facts(m, Map.of());
    }

    private static PluginView plugin(String id, String state, int restarts) {
        return new PluginView(id, "d", "1", state, T0, "unhealthy", restarts, List.of(), "host");
    }

    private static Facts benchmark(double threshold, double value) {
        return new Facts(Map.of(), Map.of("health", new BenchmarkView("health", "overall.health", threshold,
                OptionalDouble.of(value), false)));
    }

    @Test
    void aPluginFailingAfterMoreRestartsThanTheLimitIsProposedForQuarantineOnce() {
        assertThat(agenda.propose(plugins(plugin("a", "RESTARTING", 2), plugin("b", "RUNNING", 5)), T0, chamber))
                .as("a is within the limit, b runs").isEmpty();
        List<Proposal> p = agenda.propose(plugins(plugin("a", "RESTARTING", 3)), T0, chamber);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo("quarantine:a");
            assertThat(x.origin()).isEqualTo("runtime");
            assertThat(x.reason()).contains("3 restarts").contains("limit of 2").contains("unhealthy");
        });
        chamber.open(p.get(0), T0);
        assertThat(agenda.propose(plugins(plugin("a", "RESTARTING", 4)), T0.plusSeconds(5), chamber)).isEmpty();
    }

    @Test
    void aPluginWhoseKpisMeasureBadIsProposedForQuarantineWhateverItsState() {
        dev.grace.api.Kpi ratio = dev.grace.api.Kpi.builder("q", dev.grace.api.Kpi.Unit.RATIO).healthBearing().build();
        PluginView a = plugin("a", "RUNNING", 0);
        Facts good = new Facts(Map.of("a", a), Map.of(), Map.of("a", List.of(new Facts.Reading(ratio, T0, 0.8))));
        assertThat(agenda.propose(good, T0, chamber)).isEmpty();
        Facts bad = new Facts(Map.of("a", a), Map.of(), Map.of("a", List.of(new Facts.Reading(ratio, T0, 0.3))));
        assertThat(agenda.propose(bad, T0, chamber)).singleElement()
                .satisfies(x -> assertThat(x.reason()).contains("measures bad").contains("q=0.3"));
        Agenda off = new Agenda("parliament", 2, 0.2, Duration.ofSeconds(10), false, false);
        assertThat(off.propose(bad, T0, chamber)).as("propose-on-kpis off").isEmpty();
    }

    @Test
    void aBenchmarkFarFromItsThresholdForTheWholeWindowGetsAThresholdProposalAtItsMeanValue() {
        assertThat(agenda.propose(benchmark(0.9, 0.6), T0, chamber)).isEmpty();
        assertThat(agenda.propose(benchmark(0.9, 0.8), T0.plusSeconds(5), chamber)).as("within 20%: the clock restarts").isEmpty();
        assertThat(agenda.propose(benchmark(0.9, 0.6), T0.plusSeconds(10), chamber)).isEmpty();
        assertThat(agenda.propose(benchmark(0.9, 0.5), T0.plusSeconds(15), chamber)).isEmpty();
        List<Proposal> p = agenda.propose(benchmark(0.9, 0.7), T0.plusSeconds(20), chamber);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Proposal.Kind.BENCHMARK_THRESHOLD);
            assertThat(x.threshold()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(x.from()).isEqualTo(0.9);
        });
        chamber.open(p.get(0), T0.plusSeconds(20));
        assertThat(agenda.propose(benchmark(0.9, 0.6), T0.plusSeconds(25), chamber)).as("one per benchmark and threshold").isEmpty();
    }
}
