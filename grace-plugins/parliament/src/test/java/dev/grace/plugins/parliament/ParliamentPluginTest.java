package dev.grace.plugins.parliament;

import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ParliamentPluginTest {

    @TempDir
    Path dir;

    @Test
    void aHostsProposalIsVotedOnAtTheNextReviewAndRecorded() throws Exception {
        ParliamentPlugin plugin = new ParliamentPlugin();
        try (PluginHarness h = PluginHarness.forPlugin(plugin).dataDirectory(dir).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("compliance_score")).as("no other plugin to judge").isEmpty();
            h.advance(Duration.ofSeconds(2));
            assertThat(plugin.propose(Proposal.quarantine("ghost", "a plugin nobody runs"))).isTrue();
            assertThat(plugin.openProposals()).hasSize(1);

            h.advance(Duration.ofSeconds(3));     // the review at 5 s: every voter abstains on an unknown plugin
            assertThat(plugin.decisions()).singleElement().satisfies(d -> {
                assertThat(d.outcome()).isEqualTo(Decision.Outcome.NO_QUORUM);
                assertThat(d.enacted()).isFalse();
            });
            assertThat(h.values("vote_participation")).containsExactly(0.0);
            assertThat(h.values("approval_rate")).containsExactly(0.0);
            assertThat(h.values("decision_latency")).containsExactly(3.0);
            Path journal = dir.resolve("plugins/parliament/decisions.jsonl");
            assertThat(Files.readAllLines(journal)).singleElement().asString().contains("\"outcome\":\"NO_QUORUM\"");
            assertThat(plugin.propose(Proposal.quarantine("ghost", "again"))).as("decided already").isFalse();
        }
        ParliamentPlugin restarted = new ParliamentPlugin();
        try (PluginHarness h = PluginHarness.forPlugin(restarted).dataDirectory(dir).start()) {
            assertThat(restarted.propose(Proposal.quarantine("ghost", "after a restart"))).as("read from the journal").isFalse();
            assertThat(restarted.propose(Proposal.quarantine("other", ""))).isTrue();
        }
    }

    @Test
    void badConfigFailsThePluginNamingKeyAndValue() {
        try (PluginHarness h = PluginHarness.forPlugin(new ParliamentPlugin()).dataDirectory(dir)
                .config("voters", "max-restarts, astrology").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.parliament.voters").contains("'astrology' is not one")
                    .contains("must-be-running");
        }
        try (PluginHarness h = PluginHarness.forPlugin(new ParliamentPlugin()).dataDirectory(dir).config("quorum", "1.5").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.parliament.quorum").contains("\"1.5\"");
        }
        try (PluginHarness h = PluginHarness.forPlugin(new ParliamentPlugin()).dataDirectory(dir).config("quorum", "NaN").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.parliament.quorum");
        }
        try (PluginHarness h = PluginHarness.forPlugin(new ParliamentPlugin()).dataDirectory(dir).config("deadline", "0s").start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.parliament.deadline must be a positive duration");
        }
    }

    @Test
    void aCorruptJournalFailsThePluginNamingFileAndLine() throws Exception {
        Path journal = Files.createDirectories(dir.resolve("plugins/parliament")).resolve("decisions.jsonl");
        Files.writeString(journal, "not json\n");
        try (PluginHarness h = PluginHarness.forPlugin(new ParliamentPlugin()).dataDirectory(dir).start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("decisions.jsonl line 1");
        }
    }
}
