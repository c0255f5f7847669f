package dev.grace.plugins.parliament;

import dev.grace.api.RuntimeView.BenchmarkView;
import dev.grace.api.RuntimeView.PluginView;

import java.util.Optional;

/**
 * A policy rule that votes. It judges a proposal by the facts of the runtime at the moment it is
 * asked; its first YES, NO or ABSTAIN is final. An empty answer means it cannot judge yet (the
 * facts it needs are not there); it is asked again at the next review, until the deadline.
 *
 * <p>A rule about plugins also says whether a plugin complies with it; that is what
 * {@code compliance_score} measures.
 */
interface Voter {

    /** The rule's name, as configured in {@code plugins.parliament.voters}. */
    String name();

    /**
     * Whether proposals of {@code kind} are this rule's business. Only such voters are asked, and
     * only they count toward the quorum and {@code vote_participation}; among them an ABSTAIN means
     * the rule lacked the facts to judge. A rule that does not say judges every kind.
     */
    default boolean judges(Proposal.Kind kind) {
        return true;
    }

    /** Its vote on {@code proposal}, or empty when it cannot judge yet. */
    Optional<Vote> vote(Proposal proposal, Facts facts);

    /** Whether {@code plugin} complies with this rule; empty when the rule is not about plugins. */
    Optional<Boolean> complies(PluginView plugin);

    /** Votes to quarantine a plugin that has restarted more often than the limit. */
    static Voter maxRestarts(int limit) {
        return new PluginRule("max-restarts") {
            @Override
            Optional<Vote> onQuarantine(PluginView p) {
                return Optional.of(p.restarts() > limit ? Vote.YES : Vote.NO);
            }

            @Override
            public Optional<Boolean> complies(PluginView p) {
                return Optional.of(p.restarts() <= limit);
            }
        };
    }

    /** Votes to quarantine a plugin that is FAILED or RESTARTING, against one that runs; waits while one starts. */
    static Voter mustBeRunning() {
        return new PluginRule("must-be-running") {
            @Override
            Optional<Vote> onQuarantine(PluginView p) {
                return switch (p.state()) {
                    case "FAILED", "RESTARTING" -> Optional.of(Vote.YES);
                    case "RUNNING" -> Optional.of(Vote.NO);
                    case "DISCOVERED", "STARTING" -> Optional.empty();
                    default -> Optional.of(Vote.ABSTAIN);       // STOPPED or QUARANTINED already
                };
            }

            @Override
            public Optional<Boolean> complies(PluginView p) {
                return Optional.of(p.running());
            }
        };
    }

    /** Votes to quarantine a plugin its loading warned about, against one it did not. */
    static Voter noVettingWarnings() {
        return new PluginRule("no-vetting-warnings") {
            @Override
            Optional<Vote> onQuarantine(PluginView p) {
                return Optional.of(p.warnings().isEmpty() ? Vote.NO : Vote.YES);
            }

            @Override
            public Optional<Boolean> complies(PluginView p) {
                return Optional.of(p.warnings().isEmpty());
            }
        };
    }

    /** Votes for a benchmark threshold at or above the floor, against one below it. */
    static Voter benchmarkFloor(double floor) {
        return new BenchmarkRule("benchmark-floor") {
            @Override
            Optional<Vote> onThreshold(Proposal p, BenchmarkView b) {
                return Optional.of(p.threshold() >= floor ? Vote.YES : Vote.NO);
            }
        };
    }

    /** Votes for a threshold the benchmark's latest value reaches, against one it does not; waits for a value. */
    static Voter benchmarkAttainable() {
        return new BenchmarkRule("benchmark-attainable") {
            @Override
            Optional<Vote> onThreshold(Proposal p, BenchmarkView b) {
                if (b == null) {
                    return Optional.of(Vote.ABSTAIN);
                }
                if (b.value().isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(b.value().getAsDouble() >= p.threshold() ? Vote.YES : Vote.NO);
            }
        };
    }

    /**
     * Votes to quarantine a plugin whose own health-bearing KPIs measure bad in their latest hour
     * (see {@link Facts.Reading#bad()}), against one whose KPIs all measure well; abstains when the
     * plugin published no judgeable health-bearing KPI in the last hour, for lack of data.
     */
    static Voter kpiEvidence() {
        return new PluginRule("kpi-evidence") {
            @Override
            Optional<Vote> onQuarantine(PluginView p) {
                throw new AssertionError("judged by vote()");
            }

            @Override
            public Optional<Vote> vote(Proposal proposal, Facts facts) {
                PluginView target = facts.plugins().get(proposal.target());
                if (proposal.kind() != Proposal.Kind.QUARANTINE || target == null) {
                    return Optional.of(Vote.ABSTAIN);
                }
                var readings = facts.readings(target.id());
                if (readings.isEmpty()) {
                    return Optional.of(Vote.ABSTAIN);
                }
                return Optional.of(readings.stream().anyMatch(Facts.Reading::bad) ? Vote.YES : Vote.NO);
            }

            @Override
            public Optional<Boolean> complies(PluginView p) {
                return Optional.empty();        // judged from KPIs, not from the plugin's state
            }
        };
    }

    /** A rule about plugins: abstains on thresholds and on plugins the runtime does not know. */
    abstract class PluginRule implements Voter {
        private final String name;

        PluginRule(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        abstract Optional<Vote> onQuarantine(PluginView target);

        @Override
        public boolean judges(Proposal.Kind kind) {
            return kind == Proposal.Kind.QUARANTINE;
        }

        @Override
        public Optional<Vote> vote(Proposal proposal, Facts facts) {
            PluginView target = facts.plugins().get(proposal.target());
            if (proposal.kind() != Proposal.Kind.QUARANTINE || target == null) {
                return Optional.of(Vote.ABSTAIN);
            }
            return onQuarantine(target);
        }
    }

    /** A rule about benchmarks: abstains on quarantines; not a plugin policy. */
    abstract class BenchmarkRule implements Voter {
        private final String name;

        BenchmarkRule(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        /** @param benchmark the benchmark as the runtime knows it; null when it does not */
        abstract Optional<Vote> onThreshold(Proposal proposal, BenchmarkView benchmark);

        @Override
        public boolean judges(Proposal.Kind kind) {
            return kind == Proposal.Kind.BENCHMARK_THRESHOLD;
        }

        @Override
        public Optional<Vote> vote(Proposal proposal, Facts facts) {
            if (proposal.kind() != Proposal.Kind.BENCHMARK_THRESHOLD) {
                return Optional.of(Vote.ABSTAIN);
            }
            return onThreshold(proposal, facts.benchmarks().get(proposal.target()));
        }

        @Override
        public Optional<Boolean> complies(PluginView plugin) {
            return Optional.empty();
        }
    }
}
