package dev.grace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grace.runtime.config.Durations;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.store.GraceStore;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace rollups}: one KPI's stored rollups per period, merged across every node. */
@Command(name = "rollups", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Prints one KPI's stored rollups per hour, day or week, merged across every node that"
                + " shares the database: count, mean, min, max, stddev, p50, p95, p99."})
final class RollupsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--domain", required = true, paramLabel = "DOMAIN", description = "The KPI's domain.")
    String domain;

    @Option(names = "--kpi", required = true, paramLabel = "KPI", description = "The KPI's name.")
    String kpi;

    @Option(names = "--period", paramLabel = "hour|day|week", converter = PeriodConverter.class,
            description = "The rollup period. Default: hour.")
    Period period = Period.HOUR;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "How far back: a duration (24h, 7d) or an instant (2026-11-01T00:00:00Z). Default: 24h.")
    String since = "24h";

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        Instant from = since(since, Clock.systemUTC());
        GraceConfig config = options.load(grace.env());
        List<PeriodRollup> rows;
        try (GraceStore store = GraceStore.open(config)) {
            rows = store.rollups(domain, kpi, period, from);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(rows.stream().map(RollupsCommand::json).toList()));
            return 0;
        }
        if (rows.isEmpty()) {
            out.println("no " + period.key() + "ly rollups of " + domain + "/" + kpi + " since " + from);
            return 0;
        }
        Table table = new Table(period.key() + " (UTC)", "count", "mean", "min", "max", "stddev", "p50", "p95", "p99",
                "nodes").rightAligned(1, 2, 3, 4, 5, 6, 7, 8, 9);
        for (PeriodRollup r : rows) {
            table.row(r.start().toString(), String.valueOf(r.count()), num(r.mean()), num(r.min()), num(r.max()),
                    num(r.stddev()), num(r.p50()), num(r.p95()), num(r.p99()), String.valueOf(r.nodes()));
        }
        table.lines().forEach(out::println);
        return 0;
    }

    /** One period in {@code --json}: the record's fields, the start as an ISO instant. */
    private static java.util.Map<String, Object> json(PeriodRollup r) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
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
