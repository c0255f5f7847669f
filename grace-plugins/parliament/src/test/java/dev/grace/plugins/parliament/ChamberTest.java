package dev.grace.plugins.parliament;

import dev.grace.api.RuntimeView.PluginView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ChamberTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Facts NO_FACTS = new Facts(Map.of(), Map.of());

    /** A voter that gives {@code vote} (empty: cannot judge yet) on everything. */
    private static Voter says(String name, Vote vote) {
        return new Voter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<Vote> vote(Proposal proposal, Facts facts) {
                return Optional.ofNullable(vote);
            }

            @Override
            public Optional<Boolean> complies(PluginView plugin) {
                return Optional.empty();
            }
        };
    }

    @Test
    void aVoteWithoutQuorumDoesNotPassEvenWhenEveryCastVoteIsYes() {
        Chamber c = new Chamber(List.of(says("a", Vote.YES), says("b", null), says("c", null), says("d", Vote.ABSTAIN)),
                0.5, Duration.ofSeconds(30));
        assertThat(c.open(Proposal.quarantine("x", "test"), T0)).isTrue();
        assertThat(c.review(NO_FACTS, T0.plusSeconds(29))).as("b and c may still answer").isEmpty();
        List<Decision> d = c.review(NO_FACTS, T0.plusSeconds(30));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(Decision.Outcome.NO_QUORUM);
            assertThat(x.participation()).isEqualTo(0.25);
            assertThat(x.latency()).isEqualTo(Duration.ofSeconds(30));
            assertThat(x.votes()).containsOnlyKeys("a", "d");
        });
    }

    @Test
    void withQuorumMoreYesThanNoPassesAndATieDoesNot() {
        Chamber pass = new Chamber(List.of(says("a", Vote.YES), says("b", Vote.YES), says("c", Vote.NO)), 0.5, Duration.ofSeconds(30));
        pass.open(Proposal.quarantine("x", ""), T0);
        assertThat(pass.review(NO_FACTS, T0.plusSeconds(5))).singleElement().satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(Decision.Outcome.PASSED);
            assertThat(x.latency()).as("decided as soon as every voter answered").isEqualTo(Duration.ofSeconds(5));
        });
        Chamber tie = new Chamber(List.of(says("a", Vote.YES), says("b", Vote.NO)), 0.5, Duration.ofSeconds(30));
        tie.open(Proposal.quarantine("x", ""), T0);
        assertThat(tie.review(NO_FACTS, T0)).singleElement()
                .satisfies(x -> assertThat(x.outcome()).isEqualTo(Decision.Outcome.REJECTED));
    }

    @Test
    void anIdenticalProposalIsRefusedWhileOpenAndOnceDecided() {
        Chamber c = new Chamber(List.of(says("a", null)), 1.0, Duration.ofSeconds(10));
        assertThat(c.open(Proposal.quarantine("x", "first"), T0)).isTrue();
        assertThat(c.open(Proposal.quarantine("x", "another reason, same proposal"), T0)).isFalse();
        assertThat(c.review(NO_FACTS, T0.plusSeconds(10))).hasSize(1);
        assertThat(c.open(Proposal.quarantine("x", "again"), T0.plusSeconds(11))).isFalse();
        assertThat(c.open(Proposal.quarantine("y", "another plugin"), T0.plusSeconds(11))).isTrue();
        assertThat(c.open(Proposal.benchmarkThreshold("b", 0.8, ""), T0)).isTrue();
        assertThat(c.open(Proposal.benchmarkThreshold("b", 0.7, ""), T0)).as("another threshold is another proposal").isTrue();
    }
}
