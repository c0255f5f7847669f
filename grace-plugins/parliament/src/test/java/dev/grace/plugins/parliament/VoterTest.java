package dev.grace.plugins.parliament;

import dev.grace.api.RuntimeView.BenchmarkView;
import dev.grace.api.RuntimeView.PluginView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class VoterTest {

    private static PluginView plugin(String id, String state, int restarts, List<String> warnings) {
        return new PluginView(id, "d", "1", state, Instant.EPOCH, null, restarts, warnings, "host");
    }

    private static Facts facts(PluginView p, BenchmarkView b) {
        return new Facts(p == null ? Map.of() : Map.of(p.id(), p), b == null ? Map.of() : Map.of(b.name(), b));
    }

    @Test
    void pluginRulesJudgeQuarantinesByTheTargetsFacts() {
        Proposal q = Proposal.quarantine("x", "");
        assertThat(Voter.maxRestarts(2).vote(q, facts(plugin("x", "RESTARTING", 3, List.of()), null))).contains(Vote.YES);
        assertThat(Voter.maxRestarts(2).vote(q, facts(plugin("x", "RESTARTING", 2, List.of()), null))).contains(Vote.NO);
        assertThat(Voter.mustBeRunning().vote(q, facts(plugin("x", "FAILED", 0, List.of()), null))).contains(Vote.YES);
        assertThat(Voter.mustBeRunning().vote(q, facts(plugin("x", "RUNNING", 9, List.of()), null))).contains(Vote.NO);
        assertThat(Voter.mustBeRunning().vote(q, facts(plugin("x", "STARTING", 0, List.of()), null))).as("waits").isEmpty();
        assertThat(Voter.noVettingWarnings().vote(q, facts(plugin("x", "RUNNING", 0, List.of("bundles org.slf4j")), null)))
                .contains(Vote.YES);
        assertThat(Voter.maxRestarts(2).vote(q, facts(null, null))).as("unknown plugin").contains(Vote.ABSTAIN);
        assertThat(Voter.maxRestarts(2).vote(Proposal.benchmarkThreshold("b", 1, ""), facts(null, null))).contains(Vote.ABSTAIN);
    }

    @Test
    void benchmarkRulesJudgeThresholds() {
        BenchmarkView b = new BenchmarkView("b", "overall.health", 0.9, OptionalDouble.of(0.6), false);
        assertThat(Voter.benchmarkFloor(0.5).vote(Proposal.benchmarkThreshold("b", 0.6, ""), facts(null, b))).contains(Vote.YES);
        assertThat(Voter.benchmarkFloor(0.5).vote(Proposal.benchmarkThreshold("b", 0.4, ""), facts(null, b))).contains(Vote.NO);
        assertThat(Voter.benchmarkAttainable().vote(Proposal.benchmarkThreshold("b", 0.6, ""), facts(null, b))).contains(Vote.YES);
        assertThat(Voter.benchmarkAttainable().vote(Proposal.benchmarkThreshold("b", 0.7, ""), facts(null, b))).contains(Vote.NO);
        BenchmarkView unevaluated = new BenchmarkView("b", "overall.health", 0.9, OptionalDouble.empty(), false);
        assertThat(Voter.benchmarkAttainable().vote(Proposal.benchmarkThreshold("b", 0.7, ""), facts(null, unevaluated))).isEmpty();
        assertThat(Voter.benchmarkFloor(0.5).vote(Proposal.quarantine("x", ""), facts(null, b))).contains(Vote.ABSTAIN);
    }

    private static Facts.Reading reading(dev.grace.api.Kpi kpi, double mean) {
        return new Facts.Reading(kpi, Instant.EPOCH, mean);
    }

    @Test
    void aReadingIsBadOnTheWrongSideOfItsTargetOrInTheWorseHalfOfItsRange() {
        dev.grace.api.Kpi ratio = dev.grace.api.Kpi.builder("q", dev.grace.api.Kpi.Unit.RATIO).healthBearing().build();
        assertThat(reading(ratio, 0.4).bad()).isTrue();
        assertThat(reading(ratio, 0.6).bad()).isFalse();
        dev.grace.api.Kpi latency = dev.grace.api.Kpi.builder("l", dev.grace.api.Kpi.Unit.SECONDS).lowerIsBetter()
                .target(2.0).healthBearing().build();
        assertThat(reading(latency, 2.5).bad()).isTrue();
        assertThat(reading(latency, 1.5).bad()).isFalse();
        dev.grace.api.Kpi count = dev.grace.api.Kpi.builder("c", dev.grace.api.Kpi.Unit.COUNT).healthBearing().build();
        assertThat(Facts.Reading.judgeable(count)).as("no target, unbounded: nothing to judge by").isFalse();
        assertThat(Facts.Reading.judgeable(latency)).isTrue();
    }

    @Test
    void kpiEvidenceVotesByTheTargetsMeasuredKpisAndAbstainsWithoutThem() {
        dev.grace.api.Kpi ratio = dev.grace.api.Kpi.builder("q", dev.grace.api.Kpi.Unit.RATIO).healthBearing().build();
        PluginView x = plugin("x", "RUNNING", 0, List.of());
        Proposal q = Proposal.quarantine("x", "");
        Voter v = Voter.kpiEvidence();
        assertThat(v.vote(q, new Facts(Map.of("x", x), Map.of(), Map.of("x", List.of(reading(ratio, 0.9))))))
                .contains(Vote.NO);
        assertThat(v.vote(q, new Facts(Map.of("x", x), Map.of(), Map.of("x", List.of(reading(ratio, 0.9),
                reading(ratio, 0.1)))))).as("one bad KPI is enough").contains(Vote.YES);
        assertThat(v.vote(q, facts(x, null))).as("no data").contains(Vote.ABSTAIN);
        assertThat(v.judges(Proposal.Kind.QUARANTINE)).isTrue();
        assertThat(v.judges(Proposal.Kind.BENCHMARK_THRESHOLD)).isFalse();
        assertThat(Voter.benchmarkFloor(0.5).judges(Proposal.Kind.QUARANTINE)).isFalse();
    }

    @Test
    void onlyPluginRulesJudgeCompliance() {
        PluginView p = plugin("x", "RUNNING", 3, List.of());
        assertThat(Voter.maxRestarts(2).complies(p)).contains(false);
        assertThat(Voter.mustBeRunning().complies(p)).contains(true);
        assertThat(Voter.benchmarkFloor(0.5).complies(p)).isEqualTo(Optional.empty());
    }
}
