package dev.grace.plugins.parliament;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where proposals are voted on. Each open proposal collects one final answer per voter; it is
 * decided as soon as every voter it concerns ({@link Voter#judges}) has answered, or at its
 * deadline with the answers it has. It passes when the voters that cast YES or NO make up at least
 * the quorum (a share of the voters it concerns) and YES outnumbers NO. A proposal identical to one open or already decided is refused.
 *
 * <p>Thread-safe: the plugin's reviews and a host's submissions may meet.
 */
final class Chamber {

    private static final class Open {
        final Proposal proposal;
        final Instant proposedAt;
        final Map<String, Vote> votes = new LinkedHashMap<>();

        Open(Proposal proposal, Instant proposedAt) {
            this.proposal = proposal;
            this.proposedAt = proposedAt;
        }
    }

    private final List<Voter> voters;
    private final double quorum;
    private final Duration deadline;
    private final Map<String, Open> open = new LinkedHashMap<>();
    /** Every decided proposal by key, including those of earlier runs read from the journal. */
    private final Map<String, Proposal> decided = new HashMap<>();

    /**
     * @param voters   the rules that vote, at least one
     * @param quorum   the share of voters that must cast YES or NO, in (0, 1]
     * @param deadline how long a proposal stays open at most
     */
    Chamber(List<Voter> voters, double quorum, Duration deadline) {
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a chamber needs at least one voter");
        }
        this.voters = List.copyOf(voters);
        this.quorum = quorum;
        this.deadline = deadline;
    }

    List<Voter> voters() {
        return voters;
    }

    /** Opens {@code proposal} at {@code now}; false when an identical one is open or was decided. */
    synchronized boolean open(Proposal proposal, Instant now) {
        String key = proposal.key();
        if (open.containsKey(key) || decided.containsKey(key)) {
            return false;
        }
        open.put(key, new Open(proposal, now));
        return true;
    }

    /** Whether a proposal of this kind about this target, starting from this threshold, is open or was decided. */
    synchronized boolean concerns(Proposal.Kind kind, String target, double from) {
        return java.util.stream.Stream.concat(open.values().stream().map(o -> o.proposal), decided.values().stream())
                .anyMatch(p -> p.kind() == kind && p.target().equals(target)
                        && Double.compare(p.from(), from) == 0);
    }

    /** Whether a proposal with this key is open or was decided. */
    synchronized boolean known(String key) {
        return open.containsKey(key) || decided.containsKey(key);
    }

    /** Whether any proposal of this kind about this target is open. */
    synchronized boolean openAbout(Proposal.Kind kind, String target) {
        return open.values().stream().anyMatch(o -> o.proposal.kind() == kind && o.proposal.target().equals(target));
    }

    /** Remembers a proposal decided in an earlier run, so that it is not proposed again. */
    synchronized void decidedBefore(Proposal proposal) {
        decided.put(proposal.key(), proposal);
    }

    /** The open proposals, oldest first. */
    synchronized List<Proposal> openProposals() {
        return open.values().stream().map(o -> o.proposal).toList();
    }

    /**
     * Asks every voter that has not answered yet about every open proposal, then decides those
     * that every voter answered and those whose deadline has come. Returns the decisions, not yet
     * enacted.
     */
    synchronized List<Decision> review(Facts facts, Instant now) {
        List<Decision> out = new ArrayList<>();
        for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
            Open o = it.next();
            List<Voter> asked = voters.stream().filter(v -> v.judges(o.proposal.kind())).toList();
            for (Voter v : asked) {
                if (!o.votes.containsKey(v.name())) {
                    Optional<Vote> vote = v.vote(o.proposal, facts);
                    vote.ifPresent(x -> o.votes.put(v.name(), x));
                }
            }
            boolean everyone = o.votes.size() == asked.size();
            if (everyone || !now.isBefore(o.proposedAt.plus(deadline))) {
                it.remove();
                decided.put(o.proposal.key(), o.proposal);
                out.add(new Decision(o.proposal, o.proposedAt, now, o.votes, asked.size(),
                        outcome(o.votes, asked.size()), false));
            }
        }
        return out;
    }

    private Decision.Outcome outcome(Map<String, Vote> votes, int asked) {
        long yes = votes.values().stream().filter(v -> v == Vote.YES).count();
        long no = votes.values().stream().filter(v -> v == Vote.NO).count();
        if (asked == 0 || (double) (yes + no) / asked < quorum) {
            return Decision.Outcome.NO_QUORUM;
        }
        return yes > no ? Decision.Outcome.PASSED : Decision.Outcome.REJECTED;
    }
}
