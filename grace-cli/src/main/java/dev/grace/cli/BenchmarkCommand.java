package dev.grace.cli;

import dev.grace.runtime.cognition.BenchmarkState;
import dev.grace.runtime.cognition.Cognition;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace benchmark run|history}: evaluate the due hours, look at one hour, or follow one metric. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = "The hourly benchmark evaluation and its history.",
        subcommands = {BenchmarkCommand.Run.class, BenchmarkCommand.History.class})
final class BenchmarkCommand implements Runnable {

    /** What {@code --hour} accepts, for its messages. */
    static final String HOUR_FORM = "an hour such as 2026-11-22T10:00:00Z or 2026-11-22T10 (UTC)";

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command: run or history");
    }

    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
            description = {"Evaluates every hour that is due and not yet evaluated, oldest first, and prints the"
                    + " latest evaluated hour's judgements. With --hour, prints that one hour's judgements as"
                    + " they were evaluated (or would be now) and writes nothing."})
    static final class Run implements Callable<Integer> {
        @ParentCommand
        BenchmarkCommand benchmark;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CognitionOptions options;

        @Option(names = "--hour", paramLabel = "ISO-HOUR", converter = HourConverter.class,
                description = "Show this past hour instead of evaluating: 2026-11-22T10:00:00Z or 2026-11-22T10 (UTC).")
        Instant hour;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (hour != null) {
                Instant open = Clock.systemUTC().instant().truncatedTo(ChronoUnit.HOURS);
                if (!hour.isBefore(open)) {
                    throw new IllegalArgumentException("--hour: " + hour + " has not ended yet; expected a past hour,"
                            + " " + HOUR_FORM);
                }
                List<BenchmarkState> states = options.read(benchmark.grace, c -> c.evaluation(hour));
                print("Benchmarks at hour " + hour + " (read only: nothing written)", states, out);
                return 0;
            }
            record Outcome(List<BenchmarkState> written, Optional<Instant> last, List<BenchmarkState> latest) {
            }
            Outcome o = options.read(benchmark.grace, c -> {
                List<BenchmarkState> written = c.evaluateDue();
                Optional<Instant> last = c.lastEvaluatedHour();
                return new Outcome(written, last, last.map(c::evaluation).orElse(List.of()));
            });
            long hours = o.written().stream().map(BenchmarkState::hour).distinct().count();
            String head = hours == 0 ? "Nothing was due" : "Evaluated " + hours + (hours == 1 ? " hour" : " hours");
            if (o.last().isEmpty()) {
                print(head + "; no hour has been evaluated yet", List.of(), out);
            } else {
                print(head + "; benchmarks at the latest evaluated hour " + o.last().get(), o.latest(), out);
            }
            return 0;
        }

        private void print(String head, List<BenchmarkState> states, PrintWriter out) {
            if (json) {
                out.println(CognitionTables.json(states));
            } else {
                out.println(head);
                if (!states.isEmpty()) {
                    out.println();
                    CognitionTables.benchmarks(states, out);
                }
            }
            out.flush();
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
            description = "Prints one metric's benchmark judgements, one row per evaluated hour, oldest first.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        BenchmarkCommand benchmark;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CognitionOptions options;

        @Option(names = "--metric", required = true, paramLabel = "METRIC",
                description = "For example overall.health or security.trust; a benchmark's name works too.")
        String metric;

        @Option(names = "--since", paramLabel = "WHEN",
                description = "How far back: a duration (24h, 7d) or an instant (2026-11-01T00:00:00Z). Default: 7d.")
        String since = "7d";

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            Instant from = RollupsCommand.since(since, Clock.systemUTC());
            List<BenchmarkState> rows = options.read(benchmark.grace, (Cognition c) -> c.history(metric, from));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(CognitionTables.json(rows));
            } else if (rows.isEmpty()) {
                out.println("no benchmark history of " + metric + " since " + from);
            } else {
                CognitionTables.history(rows, out);
            }
            out.flush();
            return 0;
        }
    }

    /** Reads {@code --hour}: an ISO instant on the hour, or {@code YYYY-MM-DDTHH} in UTC. */
    static final class HourConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String text = value.strip();
            Instant hour;
            try {
                hour = text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}")
                        ? LocalDateTime.parse(text + ":00").toInstant(ZoneOffset.UTC)
                        : Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("expected " + HOUR_FORM + ", got \"" + value + "\"");
            }
            if (!hour.equals(hour.truncatedTo(ChronoUnit.HOURS))) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" is not the start of an hour; expected "
                        + HOUR_FORM);
            }
            return hour;
        }
    }
}
