package dev.grace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.config.Durations;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.store.GraceStore;
import dev.grace.store.JournalBacklog;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace rollups}: a domain's (or one KPI's) stored rollups per period, merged across every node. */
@Command(name = "rollups", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Prints the stored rollups of every KPI of a domain, or of one KPI, per hour, day or week,"
                + " merged across every node that shares the database: count, mean, min, max, stddev, p50, p95, p99."
                + " With --by KEY, one row per period and value of the KPI's attribute KEY (and _overflow, the"
                + " series past the KPI's bound) instead of its total. An unknown domain, KPI or attribute key"
                + " exits 2 naming the known ones."})
final class RollupsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** An attribute key as {@code Kpi} declares them (docs/attributes.md). */
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--domain", required = true, paramLabel = "DOMAIN", description = "The KPI's domain.")
    String domain;

    @Option(names = "--kpi", paramLabel = "KPI", description = "One KPI of the domain. Default: every KPI of the domain.")
    String kpi;

    @Option(names = "--period", paramLabel = "hour|day|week", converter = PeriodConverter.class,
            description = "The rollup period. Default: hour.")
    Period period = Period.HOUR;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "How far back: a duration (24h, 7d) or an instant (2026-11-01T00:00:00Z). Default: 24h.")
    String since = "24h";

    @Option(names = "--by", paramLabel = "KEY",
            description = "One attribute key of the KPI (needs --kpi): a row per period and value of KEY, merged"
                    + " from every stored series with that value, plus _overflow when values overflowed.")
    String by;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        Instant from = since(since, Clock.systemUTC());
        if (by != null) {
            checkBy();
        }
        GraceConfig config = options.load(grace.env());
        if (by != null) {
            return callBy(config, from);
        }
        Map<String, List<PeriodRollup>> byKpi = new LinkedHashMap<>();
        JournalBacklog backlog;
        try (GraceStore store = GraceStore.open(config)) {
            backlog = store.journalBacklog();
            for (String k : kpis(store.kpis(), backlog)) {
                byKpi.put(k, store.rollups(domain, k, period, from));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        noteBacklog(backlog, out);
        if (json) {
            out.println(JSON.writeValueAsString(byKpi.values().stream().flatMap(List::stream)
                    .map(RollupsCommand::json).toList()));
            return GraceCommand.DONE;
        }
        boolean several = byKpi.size() > 1;
        boolean first = true;
        for (Map.Entry<String, List<PeriodRollup>> e : byKpi.entrySet()) {
            if (several) {
                out.println((first ? "" : "\n") + domain + "/" + e.getKey() + ":");
            }
            first = false;
            print(e.getKey(), e.getValue(), from, several ? "  " : "", out);
        }
        return GraceCommand.DONE;
    }

    /** {@code --by}'s own checks, before the store is opened. */
    private void checkBy() {
        if (kpi == null) {
            throw new IllegalArgumentException("--by: name the KPI whose attribute " + by + " to group by, with --kpi");
        }
        if (!KEY.matcher(by).matches()) {
            throw new IllegalArgumentException("--by: attribute key '" + by + "' must match [a-z][a-z0-9_]{0,31}");
        }
    }

    /** {@code --by KEY}: one KPI's rows per period and value of KEY. */
    private int callBy(GraceConfig config, Instant from) throws JsonProcessingException {
        List<PeriodRollup> rows;
        JournalBacklog backlog;
        try (GraceStore store = GraceStore.open(config)) {
            backlog = store.journalBacklog();
            kpis(store.kpis(), backlog);
            List<String> keys = store.seriesKeys(domain, kpi);
            if (!keys.contains(by)) {
                List<String> named = keys.stream().filter(k -> !SeriesKey.isOverflow(k)).toList();
                throw new IllegalArgumentException("--by: no stored series of " + domain + "/" + kpi
                        + " carries attribute " + by + (named.isEmpty()
                        ? "; it has stored totals only (a KPI without attributes, or none of its series stored yet)"
                        : "; its stored series carry: " + String.join(", ", named)));
            }
            rows = store.rollupsBy(domain, kpi, by, period, from);
        }
        PrintWriter out = spec.commandLine().getOut();
        noteBacklog(backlog, out);
        if (json) {
            out.println(JSON.writeValueAsString(rows.stream().map(this::jsonBy).toList()));
            return GraceCommand.DONE;
        }
        if (rows.isEmpty()) {
            out.println("no " + period.key() + "ly rollups of " + domain + "/" + kpi + " by " + by + " since " + from);
            return GraceCommand.DONE;
        }
        Table table = new Table(period.key() + " (UTC)", by, "count", "mean", "min", "max", "stddev", "p50", "p95",
                "p99", "nodes").rightAligned(2, 3, 4, 5, 6, 7, 8, 9, 10);
        for (PeriodRollup r : rows) {
            table.row(r.start().toString(), valueOf(r), String.valueOf(r.count()), num(r.mean()), num(r.min()),
                    num(r.max()), num(r.stddev()), num(r.p50()), num(r.p95()), num(r.p99()), String.valueOf(r.nodes()));
        }
        table.lines().forEach(out::println);
        return GraceCommand.DONE;
    }

    /** The value of {@code --by}'s key a row stands for, or {@code _overflow}. */
    private String valueOf(PeriodRollup r) {
        return SeriesKey.isOverflow(r.series()) ? SeriesKey.OVERFLOW : r.attributes().get(by);
    }

    /**
     * One row of {@code --by} in {@code --json}: {@link #json}'s fields, the series, the key and its
     * value (null for the overflow series), under fixed names so that no attribute key can clash.
     */
    private Map<String, Object> jsonBy(PeriodRollup r) {
        Map<String, Object> m = json(r);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("domain", m.remove("domain"));
        out.put("kpi", m.remove("kpi"));
        out.put("series", r.series());
        out.put("by", by);
        out.put("value", SeriesKey.isOverflow(r.series()) ? null : r.attributes().get(by));
        out.putAll(m);
        return out;
    }

    /**
     * The KPIs asked for: {@code --kpi}, or every KPI of the domain.
     *
     * @throws IllegalArgumentException (exit 2) naming the known domains, or the domain's known KPIs
     */
    /** What the journal holds that the database does not have yet; on stderr with --json, so that stdout stays one JSON document. */
    private void noteBacklog(JournalBacklog backlog, PrintWriter out) {
        if (backlog.any()) {
            (json ? spec.commandLine().getErr() : out).println("note: " + backlog.describe());
        }
    }

    private List<String> kpis(Map<String, List<String>> known, JournalBacklog backlog) {
        List<String> ofDomain = known.get(domain);
        if (ofDomain == null) {
            throw new IllegalArgumentException("--domain: no rollups or declared KPIs of domain " + domain
                    + (known.isEmpty() ? "; the store has none yet" + (backlog.any() ? "" : " (has grace run stored anything here?)")
                            : "; known domains: " + String.join(", ", known.keySet()))
                    + (backlog.any() ? "; " + backlog.describe() : ""));
        }
        if (kpi == null) {
            return ofDomain;
        }
        if (!ofDomain.contains(kpi)) {
            throw new IllegalArgumentException("--kpi: domain " + domain + " has no KPI " + kpi + "; its KPIs: "
                    + String.join(", ", ofDomain));
        }
        return List.of(kpi);
    }

    private void print(String kpiName, List<PeriodRollup> rows, Instant from, String indent, PrintWriter out) {
        if (rows.isEmpty()) {
            out.println(indent + "no " + period.key() + "ly rollups of " + domain + "/" + kpiName + " since " + from);
            return;
        }
        Table table = new Table(period.key() + " (UTC)", "count", "mean", "min", "max", "stddev", "p50", "p95", "p99",
                "nodes").rightAligned(1, 2, 3, 4, 5, 6, 7, 8, 9);
        for (PeriodRollup r : rows) {
            table.row(r.start().toString(), String.valueOf(r.count()), num(r.mean()), num(r.min()), num(r.max()),
                    num(r.stddev()), num(r.p50()), num(r.p95()), num(r.p99()), String.valueOf(r.nodes()));
        }
        table.lines().forEach(line -> out.println(indent + line));
    }

    /** One period in {@code --json}: the record's fields, the start as an ISO instant. */
    private static Map<String, Object> json(PeriodRollup r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", r.domain());
        m.put("kpi", r.kpi());
        m.put("period", r.period().key());
        m.put("start", r.start().toString());
        m.put("count", r.count());
        m.put("mean", r.mean());
        m.put("min", r.min());
        m.put("max", r.max());
        m.put("stddev", r.stddev());
        m.put("p50", r.p50());
        m.put("p95", r.p95());
        m.put("p99", r.p99());
        m.put("nodes", r.nodes());
        return m;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A duration back from now, or an ISO instant. */
    static Instant since(String text, Clock clock) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                Duration d = Durations.parse(text);
                if (d.isNegative()) {
                    throw new IllegalArgumentException("--since: expected a duration back from now or an instant, got \"" + text + "\"");
                }
                return clock.instant().minus(d);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--since: expected a duration such as 24h or 7d, or an instant such as"
                        + " 2026-11-01T00:00:00Z, got \"" + text + "\"");
            }
        }
    }

    /** Reads {@code --period}. */
    static final class PeriodConverter implements CommandLine.ITypeConverter<Period> {
        @Override
        public Period convert(String value) {
            try {
                return Period.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
