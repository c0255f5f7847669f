package dev.grace.cli;

import dev.grace.runtime.cognition.Status;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace status}: every domain's scores and KPIs in the current hour, and the overall scores. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Prints the current hour's overall health, trust and confidence, the same per domain with"
                + " its trend and alerts of the last 24 hours, and every KPI's count, mean and health contribution."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CognitionOptions options;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Override
    public Integer call() {
        Status status = options.read(grace, c -> c.status());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CognitionTables.json(status));
        } else {
            CognitionTables.status(status, out);
        }
        out.flush();
        return 0;
    }
}
