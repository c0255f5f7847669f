package dev.grace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.KpiFlag;
import dev.grace.runtime.cognition.KpiReading;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * How the cognition commands, and {@code grace run} when it stops, print cognition's records: aligned
 * tables for people, and {@code --json} as the records themselves (their components as fields,
 * instants as ISO-8601 strings, a gap as {@code null}).
 */
final class CognitionTables {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private CognitionTables() {
    }

    /** Any cognition record as a JSON tree, with the same field names and forms as {@link #json}. */
    static com.fasterxml.jackson.databind.JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    /** A cognition record read back from the JSON {@link #tree} writes (or the admin API sends). */
    static <T> T read(com.fasterxml.jackson.databind.JsonNode tree, Class<T> type) {
        try {
            return JSON.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName() + " from " + tree, e);
        }
    }

    /** Any cognition record, or a list of them, as indented JSON. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The hour, the overall scores, one row per domain, then every domain's KPIs. */
    static void status(Status status, PrintWriter out) {
        out.println("Status of hour " + status.hour() + (status.open() ? " (open: its figures may still change)" : ""));
        out.println("Overall: " + scores(status.overall()));
        out.println();
        if (status.domains().isEmpty()) {
            out.println("no domain has plugins");
            return;
        }
        Table domains = new Table("DOMAIN", "HEALTH", "TRUST", "CONFIDENCE", "TREND", "ALERTS (24H)", "KPIS")
                .rightAligned(1, 2, 3, 4, 5, 6);
        for (DomainStatus d : status.domains()) {
            domains.row(d.domain(), score(d.scores().health()), score(d.scores().trust()),
                    score(d.scores().confidence()), signed(d.trend()), Integer.toString(d.alerts()),
                    Integer.toString(d.kpis().size()));
        }
        domains.lines().forEach(out::println);
        out.println();
        Table kpis = new Table("DOMAIN", "KPI", "UNIT", "COUNT", "MEAN", "HEALTH").rightAligned(3, 4, 5);
        for (DomainStatus d : status.domains()) {
            for (KpiReading k : d.kpis()) {
                kpis.row(d.domain(), k.kpi(), k.unit(), Long.toString(k.count()),
                        k.mean() == null ? "-" : RunSummary.number(k.mean()),
                        k.healthBearing() ? score(k.normalised()) : "not counted");
            }
        }
        kpis.lines().forEach(out::println);
        flags(status.domains().stream().flatMap(d -> d.flags().stream()).toList(), out);
        out.flush();
    }

    /** The guard's flags as a table, under a blank line; nothing when there are none. */
    static void flags(List<KpiFlag> flags, PrintWriter out) {
        out.println();
        if (flags.isEmpty()) {
            out.println("Guard: no KPI flagged");
            return;
        }
        out.println("Guard: " + flags.size() + " KPI flag" + (flags.size() == 1 ? "" : "s")
                + " (a flagged KPI's evidence counts as uncertain in its domain's confidence)");
        Table table = new Table("DOMAIN", "KPI", "FLAG", "SINCE (HOUR)", "DETAIL");
        for (KpiFlag f : flags) {
            table.row(f.domain(), f.kpi(), f.flag(), String.valueOf(f.since()), f.detail());
        }
        table.lines().forEach(out::println);
    }

    /** Whether ready, every benchmark's latest judgement, then the next steps. */
    static void readiness(Readiness readiness, PrintWriter out) {
        long sustained = readiness.benchmarks().stream().filter(BenchmarkState::sustained).count();
        out.println((readiness.hour() == null ? "Readiness: no hour evaluated yet"
                : "Readiness at hour " + readiness.hour()) + ": " + (readiness.elevationReady() ? "ready" : "not ready")
                + " (" + sustained + " of " + readiness.benchmarks().size() + " benchmarks sustained)");
        if (!readiness.benchmarks().isEmpty()) {
            out.println();
            benchmarks(readiness.benchmarks(), out);
        }
        flags(readiness.flags(), out);
        if (!readiness.nextSteps().isEmpty()) {
            out.println();
            out.println("Next steps:");
            for (int i = 0; i < readiness.nextSteps().size(); i++) {
                out.println("  " + (i + 1) + ". " + readiness.nextSteps().get(i));
            }
        }
        out.flush();
    }

    /** Judgements as a table: benchmark, metric, value, threshold, samples of the window, state, missing. */
    static void benchmarks(List<BenchmarkState> states, PrintWriter out) {
        Table table = new Table("BENCHMARK", "METRIC", "VALUE", "THRESHOLD", "SAMPLES", "STATE", "MISSING")
                .rightAligned(2, 3, 4);
        for (BenchmarkState b : states) {
            table.row(b.name(), b.metric(), score(b.value()), threshold(b), b.samples() + "/" + b.windowHours(),
                    b.state(), b.missing() == null || b.missing().isBlank() ? "-" : b.missing());
        }
        table.lines().forEach(out::println);
        out.flush();
    }

    /** One metric's history: a row per evaluated hour. */
    static void history(List<BenchmarkState> rows, PrintWriter out) {
        Table table = new Table("HOUR (UTC)", "BENCHMARK", "VALUE", "THRESHOLD", "SAMPLES", "STATE")
                .rightAligned(2, 3, 4);
        for (BenchmarkState b : rows) {
            table.row(String.valueOf(b.hour()), b.name(), score(b.value()), threshold(b),
                    b.samples() + "/" + b.windowHours(), b.state());
        }
        table.lines().forEach(out::println);
        out.flush();
    }

    /** Alerts, newest first as given. */
    static void alerts(List<Alert> alerts, PrintWriter out) {
        Table table = new Table("AT", "HOUR (UTC)", "TYPE", "SUBJECT", "VALUE", "THRESHOLD", "MESSAGE")
                .rightAligned(4, 5);
        for (Alert a : alerts) {
            table.row(String.valueOf(a.at()), String.valueOf(a.hour()), a.type(), a.subject(), score(a.value()),
                    score(a.threshold()), a.message());
        }
        table.lines().forEach(out::println);
        out.flush();
    }

    /** {@code health 0.93, trust 0.86, confidence -}. */
    static String scores(Scores s) {
        return "health " + score(s.health()) + ", trust " + score(s.trust()) + ", confidence " + score(s.confidence());
    }

    /** Two decimals; a gap as {@code -}. */
    static String score(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String signed(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%+.2f", v);
    }

    private static String threshold(BenchmarkState b) {
        return ("at_most".equals(b.direction()) ? "<= " : ">= ") + score(b.threshold());
    }
}
