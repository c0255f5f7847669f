package dev.grace.cli;

import dev.grace.runtime.cognition.Readiness;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace readiness}: every benchmark's latest judgement and what is missing. */
@Command(name = "readiness", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Prints each benchmark's value at the latest evaluated hour, its threshold, how many hours"
                + " of its window have a value, whether it is sustained, what is missing, and the next steps."})
final class ReadinessCommand implements Callable<Integer> {

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CognitionOptions options;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        Readiness readiness = options.read(grace, c -> c.readiness());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CognitionTables.json(readiness));
        } else {
            CognitionTables.readiness(readiness, out);
        }
        out.flush();
        return 0;
    }
}
