package dev.grace.plugins.parliament;

import dev.grace.api.RuntimeView.BenchmarkView;
import dev.grace.api.RuntimeView.PluginView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime's own state puts to the vote:
 * <ul>
 *   <li>quarantining a plugin that is FAILED or RESTARTING after more restarts than the limit;</li>
 *   <li>quarantining a plugin (running, failed or restarting) whose own health-bearing KPIs
 *       measure bad in their latest hour ({@link Facts.Reading#bad()}), read through the runtime's
 *       hourly history. The voters judge it each by their own criterion, so such a proposal is
 *       rejected unless the plugin also breaks the plugin rules (restart limit, running);</li>
 *   <li>setting a benchmark's threshold to the mean of its values, once the value has stayed
 *       farther than the margin (relative to the threshold) from it at every review for the whole
 *       window.</li>
 * </ul>
 * Nothing is proposed twice: not while an identical proposal is open, nor after one was decided
 * (for a threshold: none about the same benchmark from the same threshold). A quarantine on KPIs
 * and one on restarts are different proposals (see {@link Proposal#key()}); neither is proposed
 * while any quarantine of the same plugin is open.
 */
final class Agenda {

    /** A benchmark seen far from its threshold since {@code since}, with the values seen meanwhile. */
    private static final class Far {
        final Instant since;
        final double threshold;
        double sum;
        int count;

        Far(Instant since, double threshold) {
            this.since = since;
            this.threshold = threshold;
        }
    }

    private final String self;
    private final int maxRestarts;
    private final double margin;
    private final Duration window;
    private final Map<String, Far> far = new HashMap<>();

    /** Whether the runtime's benchmarks may be proposed for a threshold change at all. */
    private final boolean thresholds;
    /** Whether plugins whose health-bearing KPIs measure bad are proposed for quarantine. */
    private final boolean kpis;

    Agenda(String self, int maxRestarts, double margin, Duration window) {
        this(self, maxRestarts, margin, window, true, true);
    }

    Agenda(String self, int maxRestarts, double margin, Duration window, boolean thresholds, boolean kpis) {
        this.thresholds = thresholds;
        this.kpis = kpis;
        this.self = self;
        this.maxRestarts = maxRestarts;
        this.margin = margin;
        this.window = window;
    }

    /** The proposals {@code facts} call for that {@code chamber} has not seen yet. */
    List<Proposal> propose(Facts facts, Instant now, Chamber chamber) {
        List<Proposal> out = new ArrayList<>();
        for (PluginView p : facts.plugins().values()) {
            boolean failing = "FAILED".equals(p.state()) || "RESTARTING".equals(p.state());
            if (!p.id().equals(self) && failing && p.restarts() > maxRestarts
                    && !chamber.known("quarantine:" + p.id()) && !chamber.openAbout(Proposal.Kind.QUARANTINE, p.id())) {
                out.add(new Proposal(Proposal.Kind.QUARANTINE, p.id(), Double.NaN, Double.NaN,
                        "plugin " + p.id() + " is " + p.state() + " after " + p.restarts()
                                + " restarts, more than the limit of " + maxRestarts
                                + (p.cause() == null ? "" : "; last cause: " + p.cause()), "runtime"));
            }
        }
        for (PluginView p : kpis ? facts.plugins().values() : List.<PluginView>of()) {
            boolean live = p.running() || "FAILED".equals(p.state()) || "RESTARTING".equals(p.state());
            List<Facts.Reading> bad = facts.readings(p.id()).stream().filter(Facts.Reading::bad).toList();
            if (!p.id().equals(self) && live && !bad.isEmpty()
                    && !chamber.known("quarantine:" + p.id() + ":" + Proposal.KPIS)
                    && !chamber.openAbout(Proposal.Kind.QUARANTINE, p.id())
                    && out.stream().noneMatch(x -> x.kind() == Proposal.Kind.QUARANTINE && x.target().equals(p.id()))) {
                out.add(new Proposal(Proposal.Kind.QUARANTINE, p.id(), Double.NaN, Double.NaN,
                        "plugin " + p.id() + " (" + p.state() + ") measures bad in its latest hour: " + bad,
                        Proposal.KPIS));
            }
        }
        far.keySet().retainAll(facts.benchmarks().keySet());
        for (BenchmarkView b : thresholds ? facts.benchmarks().values() : List.<BenchmarkView>of()) {
            if (b.value().isEmpty() || !isFar(b.value().getAsDouble(), b.threshold())) {
                far.remove(b.name());
                continue;
            }
            Far f = far.get(b.name());
            if (f == null || Double.compare(f.threshold, b.threshold()) != 0) {
                f = new Far(now, b.threshold());
                far.put(b.name(), f);
            }
            f.sum += b.value().getAsDouble();
            f.count++;
            if (!now.isBefore(f.since.plus(window))
                    && !chamber.concerns(Proposal.Kind.BENCHMARK_THRESHOLD, b.name(), b.threshold())) {
                double mean = f.sum / f.count;
                out.add(new Proposal(Proposal.Kind.BENCHMARK_THRESHOLD, b.name(), mean, b.threshold(),
                        "benchmark " + b.name() + " has stayed more than " + Math.round(margin * 100)
                                + "% from its threshold " + b.threshold() + " since " + f.since + " (" + f.count
                                + " reviews, mean " + mean + ")", "runtime"));
            }
        }
        return out;
    }

    private boolean isFar(double value, double threshold) {
        return Math.abs(value - threshold) > margin * Math.abs(threshold);
    }
}
