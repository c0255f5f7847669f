package dev.grace.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace report}: the Markdown readiness report, with an SVG chart per benchmark metric beside it. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Writes the Markdown readiness report: overall scores, the benchmark and domain tables,"
                + " each benchmark metric's last 7 days as a sparkline and as an SVG chart written beside the"
                + " report (FILE-METRIC.svg), and the next steps."})
final class ReportCommand implements Callable<Integer> {

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CognitionOptions options;

    @Option(names = "--out", required = true, paramLabel = "FILE.md", description = "The report file; overwritten.")
    Path out;

    @Override
    public Integer call() {
        Path written = options.read(grace, c -> c.writeReport(out));
        spec.commandLine().getOut().println("report written to " + written);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
