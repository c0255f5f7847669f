package dev.grace.plugins.parliament;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {

    @TempDir
    Path dir;

    @Test
    void decisionsAreReadBackAsTheProposalsTheyDecided() throws Exception {
        Journal j = new Journal(dir);
        Proposal q = Proposal.quarantine("flaky", "said \"no\"\ntwice");
        Proposal t = Proposal.benchmarkThreshold("health", 0.75, "").from(0.9);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        j.append(new Decision(q, at, at, Map.of("must-be-running", Vote.YES), 2, Decision.Outcome.PASSED, true));
        j.append(new Decision(t, at, at.plusSeconds(30), Map.of(), 2, Decision.Outcome.NO_QUORUM, false));
        assertThat(j.decided()).containsExactly(q, t);
        assertThat(Files.readAllLines(j.file()).get(0)).startsWith("{\"key\":\"quarantine:flaky\",")
                .contains("\"votes\":{\"must-be-running\":\"YES\"}").contains("\"outcome\":\"PASSED\",\"enacted\":true}");
    }

    @Test
    void aQuarantineOnKpisKeepsItsOwnKeyAcrossARestart() throws Exception {
        Journal j = new Journal(dir);
        Proposal onKpis = new Proposal(Proposal.Kind.QUARANTINE, "poor", Double.NaN, Double.NaN, "quality=0.2 (bad)",
                Proposal.KPIS);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        j.append(new Decision(onKpis, at, at, Map.of("kpi-evidence", Vote.YES, "max-restarts", Vote.NO), 3,
                Decision.Outcome.REJECTED, false));
        Chamber c = new Chamber(List.of(Voter.kpiEvidence()), 0.5, java.time.Duration.ofSeconds(30));
        new Journal(dir).decided().forEach(c::decidedBefore);
        assertThat(c.known("quarantine:poor:kpis")).isTrue();
        assertThat(c.known("quarantine:poor")).as("the restart ground stays open to it").isFalse();
    }

    @Test
    void aLineItDidNotWriteIsNamedByFileAndLine() throws Exception {
        Files.writeString(dir.resolve("decisions.jsonl"), "\n{\"kind\":\"QUARANTINE\"\n");
        assertThatThrownBy(() -> new Journal(dir).decided()).isInstanceOf(IOException.class)
                .hasMessageContaining("decisions.jsonl line 2: not a decision record");
    }
}
