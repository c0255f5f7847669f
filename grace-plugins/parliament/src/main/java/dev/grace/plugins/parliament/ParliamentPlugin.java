package dev.grace.plugins.parliament;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginConfig;
import dev.grace.api.PluginConfigException;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.api.RuntimeActions;
import dev.grace.api.RuntimeView;
import dev.grace.api.RuntimeView.BenchmarkView;
import dev.grace.api.RuntimeView.PluginView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The parliament domain's plugin: proposals about the runtime, voted on by policy rules with a
 * quorum and a deadline; passed proposals are enacted through {@link RuntimeActions} and every
 * decision is recorded as a JSON line in {@code decisions.jsonl} in the plugin's data directory.
 *
 * <p>Every {@code interval} it reviews the runtime through {@link RuntimeView}: it opens the
 * proposals the runtime's state calls for ({@link Agenda}: quarantine a plugin failing after too
 * many restarts, or one whose own health-bearing KPIs measure bad in their latest hour; move a
 * benchmark's threshold that its value stays far from), asks the voters
 * ({@link Voter}) about every open proposal, decides those every voter answered or whose deadline
 * came ({@link Chamber}), enacts and records them, and measures compliance. A host that built the
 * plugin submits its own proposals with {@link #propose(Proposal)}.
 *
 * <p>KPIs: {@code vote_participation}, {@code approval_rate} and {@code decision_latency} per
 * decided proposal; {@code compliance_score} per review. Config ({@code plugins.parliament.*}):
 * {@code interval} ({@code 5s}), {@code voters}, {@code quorum} ({@code 0.5}), {@code deadline}
 * ({@code 30s}), {@code max-restarts} ({@code 3}), {@code benchmark-floor} ({@code 0.5}),
 * {@code benchmark-margin} ({@code 0.2}), {@code benchmark-window} ({@code 1m}),
 * {@code propose-thresholds} ({@code false}), {@code propose-on-kpis} ({@code true}). See
 * {@code docs/plugins.md}.
 */
public final class ParliamentPlugin implements DomainPlugin {

    static final Kpi VOTE_PARTICIPATION = Kpi.builder("vote_participation", Kpi.Unit.RATIO).healthBearing()
            .description("Voters that cast YES or NO / voters whose business the proposal is, per decided proposal;"
                    + " the others abstained or never answered for lack of data").build();
    static final Kpi APPROVAL_RATE = Kpi.builder("approval_rate", Kpi.Unit.RATIO)
            .description("1 for a decided proposal that passed, 0 for one that did not: the hour's mean is the"
                    + " share of its decisions that passed").build();
    static final Kpi DECISION_LATENCY = Kpi.builder("decision_latency", Kpi.Unit.SECONDS).lowerIsBetter()
            .description("Seconds from opening a proposal to deciding it, on the runtime's clock").build();
    static final Kpi COMPLIANCE_SCORE = Kpi.builder("compliance_score", Kpi.Unit.RATIO).healthBearing()
            .description("Other plugins complying with every configured plugin policy / other plugins, per review")
            .build();

    /** The voter rules by name, each made from the plugin's config. */
    static final Map<String, Function<PluginConfig, Voter>> RULES;

    static {
        Map<String, Function<PluginConfig, Voter>> rules = new LinkedHashMap<>();
        rules.put("max-restarts", c -> Voter.maxRestarts(maxRestarts(c)));
        rules.put("must-be-running", c -> Voter.mustBeRunning());
        rules.put("no-vetting-warnings", c -> Voter.noVettingWarnings());
        rules.put("kpi-evidence", c -> Voter.kpiEvidence());
        rules.put("benchmark-floor", c -> Voter.benchmarkFloor(c.number("benchmark-floor", 0.5)));
        rules.put("benchmark-attainable", c -> Voter.benchmarkAttainable());
        RULES = Collections.unmodifiableMap(rules);
    }

    static final List<String> DEFAULT_VOTERS =
            List.of("max-restarts", "must-be-running", "kpi-evidence", "benchmark-floor", "benchmark-attainable");

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.parliament");

    private volatile Chamber chamber;
    private Agenda agenda;
    private Journal journal;
    private RuntimeView runtime;
    private RuntimeActions actions;
    private MetricPublisher publisher;
    private Clock clock;
    private String self;
    private final List<Decision> decisions = Collections.synchronizedList(new ArrayList<>());

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("parliament").domain("parliament").version("0.1.0").apiRange("[0.1,1)")
                .description("Proposals about the runtime voted on by policy rules; passed ones enacted and recorded")
                .build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(VOTE_PARTICIPATION, APPROVAL_RATE, DECISION_LATENCY, COMPLIANCE_SCORE);
    }

    @Override
    public void start(PluginContext context) throws IOException {
        PluginConfig config = context.config();
        Duration interval = positive(config, "interval", Duration.ofSeconds(5));
        Duration deadline = positive(config, "deadline", Duration.ofSeconds(30));
        Duration window = positive(config, "benchmark-window", Duration.ofMinutes(1));
        double quorum = config.number("quorum", 0.5);
        if (!(quorum > 0 && quorum <= 1)) {
            throw wrong("quorum", "a share of the voters greater than 0 and at most 1", quorum);
        }
        double margin = config.number("benchmark-margin", 0.2);
        if (!(margin > 0)) {
            throw wrong("benchmark-margin", "a positive share of the threshold", margin);
        }
        List<String> names = config.keys().contains("voters") ? config.list("voters") : DEFAULT_VOTERS;
        if (names.isEmpty()) {
            throw wrong("voters", "at least one of " + RULES.keySet(), "");
        }
        List<Voter> voters = new ArrayList<>();
        for (String name : names) {
            Function<PluginConfig, Voter> rule = RULES.get(name);
            if (rule == null) {
                throw wrong("voters", "a list of " + RULES.keySet() + "; '" + name + "' is not one", String.join(",", names));
            }
            if (voters.stream().noneMatch(v -> v.name().equals(name))) {
                voters.add(rule.apply(config));
            }
        }
        // read the limit even when max-restarts does not vote: the agenda uses it too
        int maxRestarts = maxRestarts(config);
        double floor = config.number("benchmark-floor", 0.5);

        self = context.info().id();
        runtime = context.runtime();
        actions = context.actions();
        publisher = context.publisher();
        clock = context.clock();
        journal = new Journal(context.dataDirectory());
        Chamber c = new Chamber(voters, quorum, deadline);
        for (Proposal p : journal.decided()) {
            c.decidedBefore(p);
        }
        // Off by default: a plugin that moves the readiness thresholds toward what the domains already
        // reach would make the benchmarks say nothing. Operators opt in knowingly.
        boolean thresholds = config.bool("propose-thresholds", false);
        agenda = new Agenda(self, maxRestarts, margin, window, thresholds, config.bool("propose-on-kpis", true));
        chamber = c;
        LOG.info("parliament: {} voters {}, quorum {}, deadline {}, restart limit {}, benchmark floor {}; journal {}",
                voters.size(), voters.stream().map(Voter::name).toList(), quorum, deadline, maxRestarts, floor,
                journal.file());
        context.scheduler().scheduleWithFixedDelay(this::review, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Submits a host's proposal; it is voted on at the next review. A threshold proposal is taken to
     * start from the benchmark's current threshold.
     *
     * @return false when an identical proposal is open or was decided, or the plugin is not started
     */
    public boolean propose(Proposal proposal) {
        Chamber c = chamber;
        if (c == null) {
            return false;
        }
        Proposal p = proposal;
        if (p.kind() == Proposal.Kind.BENCHMARK_THRESHOLD) {
            String benchmark = p.target();
            double current = runtime.benchmarks().stream().filter(b -> b.name().equals(benchmark))
                    .mapToDouble(BenchmarkView::threshold).findFirst().orElse(Double.NaN);
            p = p.from(current);
        }
        boolean opened = c.open(p, clock.instant());
        LOG.info("parliament: {} proposal {} ({})", opened ? "opened" : "refused, already open or decided,", p.key(),
                p.reason());
        return opened;
    }

    /** The proposals open now, oldest first. */
    public List<Proposal> openProposals() {
        Chamber c = chamber;
        return c == null ? List.of() : c.openProposals();
    }

    /** The decisions taken since this plugin started, in order. */
    public List<Decision> decisions() {
        synchronized (decisions) {
            return List.copyOf(decisions);
        }
    }

    /** One review: new proposals from the runtime, votes, decisions, enactment, compliance. */
    private void review() {
        Instant now = clock.instant();
        Facts facts = Facts.of(runtime, now);
        for (Proposal p : agenda.propose(facts, now, chamber)) {
            if (chamber.open(p, now)) {
                LOG.info("parliament: opened proposal {} ({})", p.key(), p.reason());
            }
        }
        for (Decision d : chamber.review(facts, now)) {
            Decision done = d.outcome() == Decision.Outcome.PASSED ? d.enacted(enact(d)) : d;
            decisions.add(done);
            LOG.info("parliament: {} {} with votes {} of {} voters{}", done.proposal().key(), done.outcome(),
                    done.votes(), done.voters(), done.outcome() == Decision.Outcome.PASSED
                            ? (done.enacted() ? "; enacted" : "; the runtime did not take the action") : "");
            try {
                journal.append(done);
            } catch (IOException e) {
                // the decision stands and is published; the record of it is what is lost, loudly
                LOG.error("parliament: cannot record decision {} in {}: {}", done.proposal().key(), journal.file(),
                        e.toString());
            }
            publisher.record(VOTE_PARTICIPATION, done.participation());
            publisher.record(APPROVAL_RATE, done.outcome() == Decision.Outcome.PASSED ? 1 : 0);
            publisher.record(DECISION_LATENCY, done.latency().toMillis() / 1000.0);
        }
        compliance(facts).ifPresent(score -> publisher.record(COMPLIANCE_SCORE, score));
    }

    private boolean enact(Decision d) {
        Proposal p = d.proposal();
        String why = "parliament passed " + p.key() + " (" + d.yes() + " of " + d.voters() + " voters for): "
                + p.reason();
        return switch (p.kind()) {
            case QUARANTINE -> actions.quarantine(p.target(), why);
            case BENCHMARK_THRESHOLD -> actions.setBenchmarkThreshold(p.target(), p.threshold(), why);
        };
    }

    /** Share of the other plugins that comply with every plugin policy; empty without either. */
    private Optional<Double> compliance(Facts facts) {
        int judged = 0;
        int complying = 0;
        for (PluginView p : facts.plugins().values()) {
            if (p.id().equals(self)) {
                continue;
            }
            boolean any = false;
            boolean all = true;
            for (Voter v : chamber.voters()) {
                Optional<Boolean> c = v.complies(p);
                if (c.isPresent()) {
                    any = true;
                    all &= c.get();
                }
            }
            if (any) {
                judged++;
                if (all) {
                    complying++;
                }
            }
        }
        return judged == 0 ? Optional.empty() : Optional.of((double) complying / judged);
    }

    private static int maxRestarts(PluginConfig c) {
        int n = c.integer("max-restarts", 3);
        if (n < 0) {
            throw wrong("max-restarts", "a number of restarts, not negative", n);
        }
        return n;
    }

    private static Duration positive(PluginConfig c, String key, Duration otherwise) {
        Duration d = c.duration(key, otherwise);
        if (d.isZero() || d.isNegative()) {
            throw wrong(key, "a positive duration", c.string(key).orElse(d.toString()));
        }
        return d;
    }

    private static PluginConfigException wrong(String key, String expected, Object found) {
        return new PluginConfigException("plugin parliament: config key plugins.parliament." + key + " must be "
                + expected + ", got \"" + found + "\"");
    }
}
