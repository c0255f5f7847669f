package dev.grace.cli;

import dev.grace.runtime.cognition.Alert;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace alerts}: the latest readiness alerts, newest first. */
@Command(name = "alerts", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Prints the latest alerts, newest first: threshold crossed or lost, a domain's dip,"
                + " elevation ready, and alerts a channel could not deliver."})
final class AlertsCommand implements Callable<Integer> {

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CognitionOptions options;

    @Option(names = "--limit", paramLabel = "N", converter = LimitConverter.class,
            description = "How many alerts at most. Default: 20.")
    int limit = 20;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        List<Alert> alerts = options.read(grace, c -> c.alerts(limit));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CognitionTables.json(alerts));
        } else if (alerts.isEmpty()) {
            out.println("no alerts");
        } else {
            CognitionTables.alerts(alerts, out);
        }
        out.flush();
        return 0;
    }

    /** Reads {@code --limit}: a whole number from 1 to 10000. */
    static final class LimitConverter implements CommandLine.ITypeConverter<Integer> {
        static final int MAX = 10_000;

        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX) {
                throw new CommandLine.TypeConversionException(
                        "expected a whole number from 1 to " + MAX + ", got \"" + value + "\"");
            }
            return n;
        }
    }
}
