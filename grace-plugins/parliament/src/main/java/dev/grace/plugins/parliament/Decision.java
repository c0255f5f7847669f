package dev.grace.plugins.parliament;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How a proposal was decided.
 *
 * @param proposal   what was proposed
 * @param proposedAt when it was opened, on the runtime's clock
 * @param decidedAt  when it was decided: when every voter had answered, or at its deadline
 * @param votes      each voter's answer, by rule name; voters that never answered are absent
 * @param voters     how many voters were asked: those whose business the proposal's kind is
 * @param outcome    the result
 * @param enacted    whether the runtime took the passed proposal's action; false when not passed
 */
public record Decision(Proposal proposal, Instant proposedAt, Instant decidedAt, Map<String, Vote> votes, int voters,
                       Outcome outcome, boolean enacted) {

    /** What came of a proposal. */
    public enum Outcome {
        /** Quorum reached and more YES than NO. */
        PASSED,
        /** Quorum reached, but not more YES than NO. */
        REJECTED,
        /** Too few voters cast YES or NO by the deadline. */
        NO_QUORUM
    }

    public Decision {
        votes = Map.copyOf(votes);
    }

    /** The same decision, with whether its action took effect. */
    Decision enacted(boolean tookEffect) {
        return new Decision(proposal, proposedAt, decidedAt, votes, voters, outcome, tookEffect);
    }

    /** Voters that cast YES or NO: those that had the facts to judge. */
    public long cast() {
        return votes.values().stream().filter(v -> v != Vote.ABSTAIN).count();
    }

    /** YES votes. */
    public long yes() {
        return votes.values().stream().filter(v -> v == Vote.YES).count();
    }

    /** Share of the voters asked that cast YES or NO; the rest abstained or never answered, for lack of data. */
    public double participation() {
        return voters == 0 ? 0 : (double) cast() / voters;
    }

    /** Time from proposal to decision. */
    public Duration latency() {
        return Duration.between(proposedAt, decidedAt);
    }
}
